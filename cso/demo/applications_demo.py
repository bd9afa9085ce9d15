"""Demo cases of online handling, made through the application services as the demo accounts would, so that each
demo role finds something in its queue: a 成立登记 waiting for the community's opinion (xingning_sq, minsheng_jd),
one waiting for the county's registering body (xn_dengji), an approved 筹备 the organization's account may now
register (xn_zuzhi), and a 备案 waiting for the street, each with its required materials (演示材料). Skipped once
the organization's account has a case of these kinds (its 变更 and 备案注销 from ``changes_demo`` do not count)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from stdnum.cn import ric

from .sample_materials import attach_required

COMMUNITY = "450102001003"  # 兴宁社区居委会 (the demo accounts' community)
KINDS = ("registration", "preparation", "filing")  # the kinds of the cases made here


def _id_number(seq: int) -> str:
    partial = f"45010219850312{100 + seq:03d}"
    return partial + ric.calc_check_digit(partial + "0")


def _registered(name: str, seq: int, **extra) -> dict:
    data = {"division": COMMUNITY, "name": name, "registration_class": "community_service", "supervising_unit": "",
            "categories": ["mutual_aid"], "residence": "兴宁社区综合服务中心", "business_scope": "邻里互助、为老服务",
            "leader_name": "蒙秀兰", "leader_phone": "13877100001", "leader_id_number": _id_number(seq)}
    data.update(extra)
    return data


def _case(services, user, kind: str, form_class, data: dict):
    form = form_class(data, user=user)
    if not form.is_valid():
        raise ValidationError(form.errors.as_text())
    application = services.save_draft(user, kind, form.cleaned_data)
    attach_required(application, user)  # 演示材料 through the upload checks, as the applicant would
    return services.submit(application, user)


def load(stdout=None) -> int:
    """Create the demo cases; returns how many (0 when they exist or the demo accounts are missing)."""
    from cso.accounts.models import User
    from cso.applications import services
    from cso.applications.forms import FilingForm
    from cso.applications.forms_registration import PreparationForm, RegistrationForm
    from cso.applications.models import Application

    users = {u.username: u for u in User.objects.filter(
        username__in=("xn_zuzhi", "xingning_sq", "minsheng_jd", "xn_dengji"))}
    own = Application.objects.filter(applicant=users.get("xn_zuzhi"), kind__in=KINDS)  # not changes_demo's 变更
    if len(users) < 4 or own.exists():
        if stdout:
            stdout.write("演示申请：已存在或缺少演示账号，跳过。")
        return 0
    org, community, street, registrar = (users[n] for n in ("xn_zuzhi", "xingning_sq", "minsheng_jd", "xn_dengji"))
    try:
        with transaction.atomic():
            # 1. 成立登记 waiting for the community's opinion
            _case(services, org, "registration", RegistrationForm, _registered(
                "兴宁区民生邻里守望服务中心", 1, org_type="social_service", registered_capital="5000"))
            # 2. 成立登记 past the community's opinion, waiting for the registering body
            second = _case(services, org, "registration", RegistrationForm, _registered(
                "兴宁区兴宁社区助老服务中心", 2, org_type="social_service", registered_capital="8000"))
            services.give_opinion(second, community, "agree", "该组织长期在本社区开展助老服务，同意登记。")
            # 3. 筹备 approved: the 社会团体 may now apply for its registration within the term
            prep = _case(services, org, "preparation", PreparationForm, _registered(
                "兴宁区兴宁社区邻里互助协会", 3, member_count="60"))
            services.give_opinion(prep, street, "agree", "街道同意筹备。")
            services.act(prep, registrar, "accept")
            services.act(prep, registrar, "approve", "同意筹备，请在筹备期内完成筹备并申请成立登记。")
            # 4. 备案 waiting for the street
            _case(services, org, "filing", FilingForm, {
                "division": COMMUNITY, "name": "兴宁社区晨练太极队", "org_type": "activity_team",
                "leader_name": "蒙秀兰", "leader_phone": "13877100001", "member_count": 16, "activity": "太极拳晨练",
                "schedule": "每天早上7点", "place": "兴宁社区广场", "category": "", "party_reported": "yes"})
    except ValidationError as exc:  # e.g. a generated organization already has one of the names
        if stdout:
            stdout.write(f"演示申请：未能建立（{'；'.join(exc.messages)}），跳过。")
        return 0
    if stdout:
        stdout.write("演示申请：4 件（待社区意见、待登记机关受理、筹备已批准、待街道备案）。")
    return 4
