"""What the kinds about an existing organization share (变更, 注销, 备案注销): the organization is named by the
applicant's link to it, the case is decided by its registering body (registered track) or filing body (filed
track), and only one such case per organization is open at a time (``cso.applications.existing``)."""

from __future__ import annotations

from dataclasses import dataclass

from cso.accounts import responsibilities
from cso.orgs.choices import Track

from .base import Kind


@dataclass
class OrgKind(Kind):
    tracks: tuple[str, ...] = (Track.REGISTERED, Track.FILED)  # the organizations' tracks this kind is for
    other_kind_hint: str = ""  # what to apply for instead, for an organization of another track

    about_org = True

    def track_of(self, application) -> str:
        org = application.organization
        if org is None:
            return self.track
        return responsibilities.REGISTERED if org.track == Track.REGISTERED else responsibilities.FILED

    def form_kwargs(self, organization) -> dict:
        return {"organization": organization}

    def title(self, application) -> str:
        return application.payload.get("org_name") or (application.organization.name
                                                       if application.organization_id else "")

    def refuses(self, organization) -> str | None:
        """Why this organization cannot apply for this kind (or None)."""
        if organization.track not in self.tracks:
            return f"“{organization.name}”是{organization.get_track_display()}组织，不能申请“{self.label}”。" \
                   + self.other_kind_hint
        if not organization.is_live:
            return f"“{organization.name}”已{organization.get_status_display()}，不能再申请“{self.label}”。"
        return None

    def materials_for(self, organization, payload=None):
        return self.own(organization, self.materials)

    @staticmethod
    def own(organization, materials):
        """The materials that concern this organization (the supervising unit's consent only where it has one)."""
        if organization is not None and organization.supervising_unit:
            return materials
        return tuple(m for m in materials if m.code != "supervisor")

    def base_payload(self, organization) -> dict:
        return {"org_name": organization.name, "org_uid": organization.uid}

    def check(self, application) -> None:
        from cso.applications.existing import check_common

        check_common(application)
