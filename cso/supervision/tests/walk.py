"""Objects of the credit lists in the sibling county, for the permission walk (tests/test_permission_walk.py).
The entry is a proposal: confirmed entries are published to everyone (the public lists), proposals to nobody."""

from datetime import date

from cso.supervision.models import EnforcementCase, ListEntry, Objection


def foreign_credit(organization, cast) -> dict:
    entry = ListEntry.objects.create(organization=organization, credit_list="abnormal", state="proposed",
                                     entered_on=date(2026, 1, 5), reason_code="unreachable", basis="新竹街道组织",
                                     chain=[])
    objection = Objection.objects.create(entry=entry, organization=organization, filed_by=cast["outsider_county"],
                                         text="新竹街道组织")
    case = EnforcementCase.objects.create(organization=organization, number="ZF-WALK-1", facts="新竹街道组织",
                                          opened_on=date(2026, 1, 5))
    return {"entry": entry.pk, "objection": objection.pk, "case": case.pk}
