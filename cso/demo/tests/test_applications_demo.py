"""The demo's application cases: each demo role finds something in its queue."""

import pytest

from cso.demo.testing import make_user


@pytest.mark.django_db
def test_the_demo_cases_fill_each_roles_queue_and_load_once(tree):
    from cso.applications import services
    from cso.applications.models import Application
    from cso.demo import applications_demo

    users = {name: make_user(name, role, code) for name, role, code in (
        ("xn_zuzhi", "organization", "450102001003"), ("xingning_sq", "community", "450102001003"),
        ("minsheng_jd", "street", "450102001000"), ("xn_dengji", "registrar", "450102000000"))}
    import io
    out = io.StringIO()
    assert applications_demo.load(out) == 4, out.getvalue()
    assert applications_demo.load() == 0
    states = dict(Application.objects.values_list("payload__name", "state"))
    assert states == {"兴宁区民生邻里守望服务中心": "community_opinion", "兴宁区兴宁社区助老服务中心": "submitted",
                      "兴宁区兴宁社区邻里互助协会": "approved", "兴宁社区晨练太极队": "submitted"}
    for name in ("xingning_sq", "minsheng_jd", "xn_dengji"):
        assert services.queue(users[name]).exists(), name
