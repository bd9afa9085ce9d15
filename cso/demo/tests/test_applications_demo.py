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
    assert_demo_materials(Application.objects.all())


def assert_demo_materials(cases):
    """Each case carries a 演示材料 PDF for each of its required materials, stored and readable."""
    from cso.applications import materials
    from cso.core import privatefiles

    for case in cases:
        assert materials.missing_required(case) == [], case
        for attachment in case.attachments.all():
            assert attachment.content_type == "application/pdf" and "演示" in attachment.original_name
            with privatefiles.open_file(attachment.AREA, attachment.stored_name) as f:
                assert f.read(5) == b"%PDF-"
    assert any(case.attachments.exists() for case in cases)


@pytest.mark.django_db
def test_the_cases_load_after_the_pending_change_of_the_same_account(cast):
    """load_demo makes changes_demo's 变更 and 备案注销 first, from the same account: the four cases still load."""
    import io

    from cso.applications.models import Application
    from cso.demo import applications_demo, changes_demo
    from cso.orgs.tests.factories import make_filed, make_registered

    for name, role, code in (("xn_zuzhi", "organization", "450102001003"),
                             ("xingning_sq", "community", "450102001003"),
                             ("minsheng_jd", "street", "450102001000"), ("xn_dengji", "registrar", "450102000000")):
        make_user(name, role, code)
    make_registered(cast["superuser"])
    make_filed(cast["superuser"])
    changes_demo.load(io.StringIO())
    assert Application.objects.count() == 2
    out = io.StringIO()
    assert applications_demo.load(out) == 4, out.getvalue()
    assert applications_demo.load() == 0
    assert Application.objects.count() == 6
    assert_demo_materials(Application.objects.all())
