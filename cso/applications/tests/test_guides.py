"""办事指南: a default for every kind, the province's own text shown to that province only, editing by the province
level only (with preview and history), and no HTML from anyone reaching a page."""

import re

import pytest
from django.urls import reverse

from cso.accounts.choices import Role
from cso.applications import guides
from cso.applications.guides_default import DEFAULTS, FIELDS, LABELS
from cso.applications.models import Guide, step_days
from cso.demo.testing import make_user

KIND_CODES = ("filing", "preparation", "registration", "change", "deregistration", "filing_cancel")
GUANGXI, GUANGDONG = "450000000000", "440000000000"


@pytest.fixture
def guangdong(tree):
    from cso.regions.models import Division

    return Division.objects.create(code=GUANGDONG, name="广东省", level=1, edition=tree[GUANGXI].edition,
                                   first_edition=tree[GUANGXI].first_edition)


def test_every_kind_has_a_complete_default_citing_its_documents():
    assert set(KIND_CODES) <= set(DEFAULTS) and set(KIND_CODES) <= set(LABELS)
    for kind in KIND_CODES:
        for field in FIELDS:
            text = DEFAULTS[kind][field]
            assert text.strip(), (kind, field)
        every_rule = "\n".join(DEFAULTS[kind][f] for f in ("conditions", "materials"))
        for line in every_rule.splitlines():
            if line.startswith("- "):  # each listed rule names its document or says it is the platform's own
                assert re.search(r"种子文件00\d|RULES\.md|本平台建议", line), (kind, line)


def test_time_limits_come_from_step_days(db, settings):
    settings.CSO_APPLICATION_STEP_DAYS = {"submitted": 3}
    text = guides.guide_for("filing").fields["time_limits"]
    assert "提交后 3 日内" in text and f"受理后 {step_days()['accepted']} 日内" in text
    assert "{" not in text


def test_the_public_pages_need_no_sign_in(client, tree):
    response = client.get(reverse("applications:guides"))
    assert response.status_code == 200
    body = response.content.decode()
    for label in LABELS.values():
        assert label in body
    body = client.get(reverse("applications:guide", args=["registration"])).content.decode()
    assert "不低于 2000 元" in body or "2000元" in body
    assert "本平台建议" in body
    assert client.get(reverse("applications:guide", args=["nonsense"])).status_code == 404
    # editing needs a sign-in
    assert client.get(reverse("applications:guide_edit", args=["filing"])).status_code == 302


def test_a_province_override_is_shown_to_that_province_only(cast, client, guangdong):
    Guide.objects.create(kind="filing", province_id=GUANGXI, conditions="广西的备案条件", materials="m",
                         steps="s", time_limits="t", basis="b")
    assert guides.guide_for("filing", "450102001003").fields["conditions"] == "广西的备案条件"
    assert guides.guide_for("filing", GUANGDONG).source == "本平台"
    assert guides.guide_for("filing").source == "本平台"
    assert "广西的备案条件" in client.get(reverse("applications:guide", args=["filing"]),
                                    {"province": GUANGXI}).content.decode()
    assert "广西的备案条件" not in client.get(reverse("applications:guide", args=["filing"]),
                                        {"province": GUANGDONG}).content.decode()
    # the application form of a Guangxi account shows Guangxi's text in its box
    client.force_login(cast["organization"])
    body = client.get(reverse("applications:new"), {"kind": "filing"}).content.decode()  # bare: the kind choice
    assert 'data-testid="guide-box"' in body and "广西的备案条件" in body
    # a national text stands in for provinces without their own
    Guide.objects.create(kind="filing", province=None, conditions="全国的备案条件")
    assert guides.guide_for("filing", GUANGDONG).fields["conditions"] == "全国的备案条件"
    assert guides.guide_for("filing", GUANGXI).fields["conditions"] == "广西的备案条件"


def _post(client, **extra):
    data = {"province": GUANGXI, "conditions": "新的条件", "materials": "", "steps": "", "time_limits": "",
            "basis": "", "then": "save", "reason": "按新文件修改"}
    data.update(extra)
    return client.post(reverse("applications:guide_edit", args=["filing"]), data)


def test_province_staff_edit_with_preview_and_history(cast, client):
    client.force_login(cast["province"])
    page = client.get(reverse("applications:guide_edit", args=["filing"]))
    assert page.status_code == 200 and "种子文件002" in page.content.decode()  # starts from the current text
    preview = _post(client, then="preview")
    assert preview.status_code == 200 and 'data-testid="guide-preview"' in preview.content.decode()
    assert not Guide.objects.exists()
    assert _post(client).status_code == 302
    guide = Guide.objects.get(kind="filing", province_id=GUANGXI)
    assert guide.conditions == "新的条件" and guide.updated_by == cast["province"]
    _post(client, conditions="再改一次", reason="第二次")
    body = client.get(reverse("applications:guide_edit", args=["filing"])).content.decode()
    assert "按新文件修改" in body and "第二次" in body and cast["province"].display_name in body
    assert Guide.history.filter(kind="filing").count() == 2
    # a province administrator may too
    admin = make_user("prov_admin", Role.ADMIN, GUANGXI)
    client.force_login(admin)
    assert _post(client, conditions="管理员改").status_code == 302


@pytest.mark.parametrize("who", ["city", "county", "street", "community", "organization", "registrar"])
def test_below_the_province_editing_is_forbidden(cast, client, who):
    client.force_login(cast[who])
    assert client.get(reverse("applications:guide_edit", args=["filing"])).status_code == 403
    assert _post(client).status_code == 403
    assert not Guide.objects.exists()


def test_another_provinces_guide_is_forbidden(cast, client, guangdong):
    client.force_login(cast["province"])
    assert _post(client, province=GUANGDONG).status_code == 403
    assert not Guide.objects.exists()


def test_no_html_injection(cast, client):
    client.force_login(cast["province"])
    evil = '<script>alert(1)</script>\n- <img src=x onerror="alert(2)">\n**<b>粗</b>**'
    _post(client, conditions=evil, materials="<a href='javascript:x'>链接</a>")
    body = client.get(reverse("applications:guide", args=["filing"]), {"province": GUANGXI}).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body and "<a href='javascript" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<li>&lt;img src=x onerror=&quot;alert(2)&quot;&gt;</li>" in body
    assert "<strong>&lt;b&gt;粗&lt;/b&gt;</strong>" in body
    html = str(guides.render("第一段\n续行\n\n- 一\n- 二\n\n**重点**"))
    assert html == "<p>第一段<br>续行</p><ul><li>一</li><li>二</li></ul><p><strong>重点</strong></p>"


def test_the_edit_form_keeps_the_step_limit_placeholders(cast, client):
    client.force_login(cast["province"])
    form = client.get(reverse("applications:guide_edit", args=["filing"])).context["form"]
    assert "{submitted}" in form.initial["time_limits"]
    _post(client, time_limits="- 受理：{accepted} 日")
    assert guides.guide_for("filing", GUANGXI).fields["time_limits"] == f"- 受理：{step_days()['accepted']} 日"


def test_placeholders_are_substituted_not_formatted():
    filled = guides.fill_limits("{submitted.__class__} {0} { {accepted}")
    assert filled == f"{{submitted.__class__}} {{0}} {{ {step_days()['accepted']}"
