"""Probes of the kinds about an existing organization (变更, 注销, 备案注销): the deciding moves are tried on cases
about organizations registered by the county, the city, the province and a sibling county, and on a group filed
with the street; the applicant's own submission on a change of an organization linked to it (its required materials
attached); the download of materials on all those cases."""

from django.urls import reverse

from cso.accounts.choices import LINKED_ROLES
from cso.accounts.probes import PROBES, Probe, answered, register
from cso.applications.kinds import KINDS
from cso.applications.models import Application, State
from cso.orgs.models import AccountLink
from cso.orgs.tests import probes as org_probes

ABOUT = {  # subject -> (the organization, as the registry's probes place it; the kind)
    "change_reg_county": ("reg_county", "change"),
    "change_reg_city": ("reg_city", "change"),
    "deregister_reg_province": ("reg_province", "deregistration"),
    "change_reg_sibling_county": ("reg_sibling_county", "change"),
    "cancel_filed_street": ("filed_street", "filing_cancel"),
}
PAYLOADS = {
    "deregistration": {"basis": "dissolved", "reason": "探针", "liquidation_done_on": "2026-01-05",
                       "materials_ready": True},
    "filing_cancel": {"cause": "stopped", "reason": "探针"},
}


def _application(world, org_subject, kind_code, applicant, state):
    org = org_probes.make(world, org_subject)
    kind = KINDS[kind_code]
    if kind_code == "change":
        payload = kind.payload_of({"address": "探针路9号", "reason": "探针"}, org)
    else:
        payload = {**kind.base_payload(org), **PAYLOADS[kind_code]}
    application = Application.objects.create(
        kind=kind_code, applicant=applicant, organization=org, division_id=org.division_id,
        authority_division_id=org.registration_authority_division_id, payload=payload, state=state)
    if state != State.DRAFT:
        application.number = f"SQ2026-{application.pk:06d}"
        application.save(update_fields=["number"])
    return application


def _extended(action, state):
    """The engine's probe of ``action`` with cases of these kinds added to its subjects."""
    probe = PROBES[action]

    def build(world, subject, account):
        if subject not in ABOUT:
            return probe.build(world, subject, account)
        org_subject, kind_code = ABOUT[subject]
        return _application(world, org_subject, kind_code, world.cast["organization"], state)

    return Probe(action, (*probe.subjects, *ABOUT), build, probe.attempt)


def _attach(application, code):
    """A stored file for material ``code`` of the case (the probes' PNG), as an upload would leave it."""
    from cso.applications.models import Attachment
    from cso.applications.tests.probes import PNG
    from cso.core import privatefiles

    stored = privatefiles.write(Attachment.AREA, ".png", PNG)
    Attachment.objects.create(application=application, material=code, original_name=f"{code}.png", stored_name=stored,
                              content_type="image/png", size=len(PNG), sha256="0" * 64)


def _own_change(world, subject, account):
    if subject != "own_change_draft":
        return PROBES_BEFORE["applications.apply"].build(world, subject, account)
    application = _application(world, "reg_county", "change", account, State.DRAFT)
    if account.role in LINKED_ROLES:
        AccountLink.objects.create(user=account, organization=application.organization, role="head",
                                   division_id=application.organization.division_id)
    for material in application.kind_spec.required_materials(application):  # complete: only the table decides
        _attach(application, material.code)
    return application


def _about_with_file(world, subject, account):
    """The download probe's cases, and cases about organizations registered by each level, each with a file."""
    if subject not in ABOUT:
        return PROBES_BEFORE["applications.download"].build(world, subject, account)
    org_subject, kind_code = ABOUT[subject]
    application = _application(world, org_subject, kind_code, world.cast["organization"], State.SUBMITTED)
    _attach(application, "application")
    return application


def _submit(client, application):
    response = client.post(reverse("applications:submit", args=[application.ref]))
    return answered(response, Application.objects.get(pk=application.pk).state == State.SUBMITTED)


PROBES_BEFORE = dict(PROBES)


def extend() -> None:
    for action, state in (("applications.accept", State.SUBMITTED), ("applications.return", State.ACCEPTED),
                          ("applications.approve", State.ACCEPTED), ("applications.reject", State.SUBMITTED)):
        register(_extended(action, state))
    apply = PROBES_BEFORE["applications.apply"]
    register(Probe("applications.apply", (*apply.subjects, "own_change_draft"), _own_change, _submit))
    download = PROBES_BEFORE["applications.download"]  # the materials of cases decided at every level
    register(Probe("applications.download", (*download.subjects, *ABOUT), _about_with_file, download.attempt))
