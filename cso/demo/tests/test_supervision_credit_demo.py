"""The demo's credit lists: one abnormal entry with its timer (published), one proposed serious entry; once."""

import io

import pytest

from cso.supervision import credit
from cso.supervision.models import EnforcementCase, ListEntry


@pytest.mark.django_db
def test_the_demo_lists_an_association_and_proposes_another(cast):
    from cso.demo import supervision_credit
    from cso.demo.testing import make_user
    from cso.orgs.tests.factories import make_registered

    make_user("xn_dengji", "registrar", "450102000000")
    for _ in range(3):
        make_registered(cast["superuser"])
    supervision_credit.load(io.StringIO())
    supervision_credit.load(io.StringIO())
    abnormal = ListEntry.objects.filter(credit_list="abnormal", state="confirmed", reason_code="annual_report_missing")
    assert abnormal.count() == 1
    assert credit.timers(abnormal.get())[0].startswith("若在 ")
    assert ListEntry.objects.get(credit_list="serious").state == "proposed"
    assert EnforcementCase.objects.count() == 1
