"""The demo's funding: a 公益创投 call with applications in several states, an award with a first instalment, a
custody contract for a filed group, a purchase call of the street, published guidance lists; once."""

import io

import pytest

from cso.funding.models import Application, Award, Contract, GuidanceList, Programme


@pytest.mark.django_db
def test_the_demo_funds_a_call_with_applications_in_several_states(cast):
    from cso.demo import funding_demo
    from cso.demo.testing import make_user
    from cso.orgs.tests.factories import make_filed, make_registered

    for name, role, code in [("xn_minzheng", "civil_affairs", "450102000000"),
                             ("xn_shenhe", "civil_affairs", "450102000000"),
                             ("minsheng_jd", "street", "450102001000")]:
        make_user(name, role, code)
    make_user("admin", "admin", None, is_superuser=True)
    for _ in range(4):
        make_registered(cast["superuser"])
    make_filed(cast["street"])
    funding_demo.load(io.StringIO())
    funding_demo.load(io.StringIO())
    assert Programme.objects.count() == 2
    assert set(Application.objects.values_list("state", flat=True)) == {"awarded", "rejected", "submitted"}
    assert Award.objects.count() == 2 and Award.objects.filter(paid__gt=0).count() == 1
    custodian = Contract.objects.get(custodian__isnull=False).custodian
    assert custodian.name == "民生街道社会组织服务中心"
    from cso.support.models import Place

    assert Place.objects.get(kind="centre", division_id="450102001000").operator == custodian
    assert GuidanceList.objects.filter(published_on__isnull=False).count() == 2
