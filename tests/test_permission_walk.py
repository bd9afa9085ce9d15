"""Walks every URL of the site with every role bound inside 兴宁区 and proves that nothing of the
sibling county 青秀区 can be read or changed.

The URL list is read from the resolver, so a new page is covered the day it is added: a URL
parameter this test does not know how to fill with a foreign object makes the test fail.
"""

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from cso.accounts.models import SignInEvent, User
from cso.applications.models import Application
from cso.core.models import ImportJob, ImportStatus, Job, JobStatus
from cso.funding.tests.walk import foreign_funding
from cso.notices.models import Notification
from cso.orgs.models import HubMembership, IncubationBase, Organization
from cso.orgs.tests.factories import make_filed
from cso.regions.models import Division
from cso.reports import rounds as report_rounds
from cso.reports import services as report_services
from cso.reports.models import QuarterlyReport
from cso.stats.models import RollUp
from cso.supervision.tests.walk import foreign_credit, foreign_zombie
from cso.supervision.tests.walk_evaluation import foreign_evaluation
from cso.support.tests.walk import foreign_support

HOME_ROLES = ["county", "registrar", "street", "community", "operator", "organization"]
FOREIGN_COUNTY = "450103000000"  # 青秀区
FOREIGN_MARKERS = ["青秀区", "新竹街道", "新竹社区居委会", "思贤社区居委会", "outsider_county", "outsider_community",
                   "4501030", "新竹社区太极拳队", "新竹街道组织", "新竹街道孵化基地"]
# URLs that need no object and serve everyone, or only sign the user out.
SKIP_NAMES = {"accounts:logout", "core:healthz",
              "applications:guide",  # a public 办事指南 (the kind's text, no object of any county)
              "supervision:inspection_public",  # a published inspection plan: public by law (双随机一公开)
              # funding: open calls, every award (and one published programme's awards as a file) and the published
              # guidance lists are public (issue 12)
              "funding:calls", "funding:call", "funding:disclosure", "funding:disclosure_download", "funding:guidance"}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield name, prefix + str(entry.pattern)


def site_urls():
    """(name, route) of every project URL (the Django admin is superusers-only and left out)."""
    return [
        (name, route)
        for name, route in _walk(get_resolver().url_patterns)
        if not route.startswith("admin/") and name not in SKIP_NAMES
    ]


def foreign_objects(cast):
    """For each URL parameter name, the identifier of an object in the sibling county."""
    organization = make_filed(cast["superuser"], name="新竹社区太极拳队", division="450103001005")
    job = ImportJob.objects.create(
        kind="orgs", user=cast["outsider_county"], division_id=FOREIGN_COUNTY, file_name="新竹街道组织.xlsx",
        content=b"", status=ImportStatus.VALIDATED, valid_rows=1,
    )
    export = Job.objects.create(
        kind="orgs.export", title="新竹街道组织导出", user=cast["outsider_county"], division_id=FOREIGN_COUNTY,
        status=JobStatus.DONE, result="新竹社区太极拳队".encode(), result_name="新竹街道组织.csv",
        result_type="text/csv",
    )
    rollup = RollUp.objects.create(key="walk", parent_code="450000000000", day=date(2025, 6, 30),
                                   period_start=date(2025, 4, 1))  # the province: above every walking role
    rnd = report_rounds.latest_due(FOREIGN_COUNTY, report_services.today())
    report = report_services.generate(Division.objects.get(code=FOREIGN_COUNTY), rnd.reference,
                                      cast["outsider_county"], prepared_by_name="青秀区制表人")
    application = Application.objects.create(
        kind="filing", applicant=cast["outsider_county"], division_id="450103001005",
        authority_division_id="450103001000", state="submitted", payload={"name": "新竹社区太极拳队"},
    )
    application.number = f"SQ2026-{application.pk:06d}"
    application.save(update_fields=["number"])
    foreign_hub = make_filed(cast["superuser"], name="新竹街道组织联合会", division="450103001005", is_hub=True)
    membership = HubMembership.objects.create(hub=foreign_hub, member=organization, joined_on=date(2024, 1, 1))
    return {
        "membership": membership.pk,
        "kind": "filing",  # the guide's edit page: province level only
        "number": application.number,
        "code": FOREIGN_COUNTY,
        "pk": cast["outsider_county"].pk,
        "uid": organization.uid,
        "batch": job.pk,
        "job": export.pk,
        "rollup": rollup.pk,
        "report": report.pk,
        "base": IncubationBase.objects.create(name="新竹街道孵化基地", division_id="450103001000", level=4).pk,
        "notification": Notification.objects.create(recipient=cast["outsider_county"], title="新竹街道组织",
                                                    link=f"/applications/{application.number}/").pk,
        "token": _foreign_invitation(organization, cast).token,
        **_foreign_annual_report(organization),
        **foreign_credit(organization, cast),
        **foreign_zombie(organization, cast),
        **foreign_evaluation(organization, cast),
        **foreign_support(organization, cast),
        **_foreign_inspection(organization, cast),
        **foreign_funding(organization, cast),
    }


def _foreign_annual_report(organization):
    """An annual report of the sibling county's organization, with an attachment row (年检年报)."""
    from cso.supervision.models import AnnualReport, AnnualReportAttachment

    report = AnnualReport.objects.create(organization=organization, year=2025, state="submitted")
    attachment = AnnualReportAttachment.objects.create(report=report, original_name="新竹街道组织.pdf",
                                                       stored_name="0" * 32 + ".pdf", content_type="application/pdf",
                                                       size=1, sha256="0" * 64)
    return {"annual": report.pk, "annual_attachment": attachment.pk}


def _foreign_inspection(organization, cast):
    """A random-inspection plan of the sibling county, drawn, with a target and an inspector of its pool."""
    from cso.supervision.models import InspectionPlan, InspectionTarget, Inspector, TargetInspector

    plan = InspectionPlan.objects.create(division_id=FOREIGN_COUNTY, year=2026, title="青秀区抽查计划", rate=10,
                                         state="published")
    target = InspectionTarget.objects.create(plan=plan, organization=organization, org_uid=organization.uid, rank=1,
                                             score="0", method="site")
    inspector = Inspector.objects.create(user=cast["outsider_county"], division_id=FOREIGN_COUNTY)
    TargetInspector.objects.create(target=target, inspector=inspector, status="assigned", order=1)
    return {"plan": plan.pk, "target": target.pk, "inspector": inspector.pk}


def _foreign_invitation(organization, cast):
    """An account invitation of the sibling county's group (its accept page answers the invited number only)."""
    from datetime import timedelta

    from django.utils import timezone

    from cso.orgs.models import AccountInvitation

    return AccountInvitation.objects.create(organization=organization, phone="13500000001", role="head",
                                            token="walk-foreign-invitation", invited_by=cast["outsider_county"],
                                            expires=timezone.now() + timedelta(days=7))


def body_of(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8", errors="replace")


def fill(route: str, values: dict) -> str:
    def replace(match):
        param = match.group("name")
        if param not in values:
            raise AssertionError(f"permission walk does not know how to fill <{param}> in {route!r}")
        return str(values[param])

    route = re.sub(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>", replace, route)
    route = re.sub(r"\{(?P<name>[^}:]+)(?::[^}]+)?\}", replace, route)  # ninja style {code}
    return "/" + route.lstrip("^").rstrip("$")


@pytest.mark.parametrize("role", HOME_ROLES)
def test_no_page_lets_a_county_user_near_another_countys_objects(cast, client, role):
    user = cast[role]
    client.force_login(user)
    values = foreign_objects(cast)
    before_divisions = list(Division.objects.filter(code__startswith="450103").values())
    before_users = list(User.objects.filter(division__code__startswith="450103").values())
    before_orgs = list(Organization.objects.filter(division__code__startswith="450103").values())
    before_jobs = list(ImportJob.objects.values("pk", "status", "created_rows"))
    before_reports = list(QuarterlyReport.objects.values())
    before_applications = list(Application.objects.values())
    checked = 0
    for name, route in site_urls():
        if "<" not in route and "{" not in route:
            continue
        url = fill(route, values)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (
                f"{role} {method.upper()} {url} ({name}) answered {response.status_code}"
            )
            checked += 1
    assert checked > 0
    # nothing foreign was changed by any of those requests
    assert list(Division.objects.filter(code__startswith="450103").values()) == before_divisions
    assert list(User.objects.filter(division__code__startswith="450103").values()) == before_users
    assert list(Organization.objects.filter(division__code__startswith="450103").values()) == before_orgs
    assert list(ImportJob.objects.values("pk", "status", "created_rows")) == before_jobs
    assert list(QuarterlyReport.objects.values()) == before_reports
    assert list(Application.objects.values()) == before_applications


@pytest.mark.parametrize("role", HOME_ROLES)
def test_no_list_page_shows_a_row_of_another_county(cast, client, role):
    SignInEvent.objects.create(
        username="outsider_county", user=cast["outsider_county"], division_id=FOREIGN_COUNTY, success=True
    )
    foreign_objects(cast)  # a foreign organization and a foreign import job exist
    client.force_login(cast[role])
    checked = 0
    for name, route in site_urls():
        if "<" in route or "{" in route:
            continue
        url = fill(route, {})
        queries = [""]
        if name in {"regions:search", "accounts:user_list", "accounts:audit", "orgs:list", "orgs:export",
                    "reports:overview", "reports:overview_export"}:
            queries += ["?q=新竹", "?q=450103", "?q=outsider", "?tab=signins", "?tab=users", "?tab=divisions",
                        "?q=xinzhu", "?q=xz", "?division=450103", "?division=450103001005", "?format=csv",
                        "?format=xlsx"]
        if name.startswith("api:"):
            queries += ["?q=新竹", "?q=450103", "?parent=450103000000", "?limit=1000"]
        for query in queries:
            response = client.get(url + query, follow=True)
            assert response.status_code in (200, 403, 404, 405), f"{role} GET {url}{query}: {response.status_code}"
            body = body_of(response)
            for echoed in re.findall(r"=([^&]+)", query):  # forms and links repeat what was typed
                body = body.replace(echoed, "")
            for marker in FOREIGN_MARKERS:
                assert marker not in body, f"{role} saw {marker!r} on {url}{query} ({name})"
            checked += 1
    assert checked > 0
