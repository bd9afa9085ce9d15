"""Objects of funding in the sibling county, for the permission walk (tests/test_permission_walk.py): a programme in
draft (open calls are public), an application with an attachment row, an award, a guidance list not yet published
and a qualification."""

from datetime import date
from decimal import Decimal


def foreign_funding(organization, cast) -> dict:
    from cso.funding.models import Application, Attachment, Award, GuidanceList, Programme, Qualification

    programme = Programme.objects.create(title="青秀区公益创投", kind="venture", division_id="450103000000",
                                         funder="青秀区民政局", year=2026, budget=Decimal("1000"),
                                         opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 31), state="draft")
    application = Application.objects.create(programme=programme, organization=organization, title="新竹街道组织",
                                             plan="新竹街道组织", requested=Decimal("100"))
    attachment = Attachment.objects.create(application=application, original_name="新竹街道组织.pdf",
                                           stored_name="1" * 32 + ".pdf", content_type="application/pdf", size=1,
                                           sha256="0" * 64)
    award = Award.objects.create(application=application, programme=programme, organization=organization,
                                 division_id="450103000000", org_division_id=organization.division_id, kind="venture",
                                 year=2026, amount=Decimal("100"), awarded_on=date(2026, 2, 1), reason="新竹街道组织")
    guidance = GuidanceList.objects.create(division_id="450103000000", kind="directory", year=2026,
                                           title="新竹街道组织")
    qualification = Qualification.objects.create(organization=organization, kind="tax_exempt",
                                                 granted_on=date(2025, 1, 1), basis="新竹街道组织")
    return {"programme": programme.pk, "application": application.pk, "attachment": attachment.pk,
            "award": award.pk, "guidance": guidance.pk, "qualification": qualification.pk}
