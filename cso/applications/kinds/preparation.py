"""筹备: a 社会团体 first asks the registering body of its county for approval to prepare (RULES.md: approval to
prepare, then founding registration; preparation must finish within 6 months of approval). Approval records the
approval's term (``CSO_PREPARATION_MONTHS``, default 6) and creates no organization; the 成立登记 of the 社会团体
names the approved 筹备 (``registration.preparation_problem``)."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError

from cso.applications.forms_registration import DIRECT_CLASSES, PreparationForm
from cso.applications.names import county_of
from cso.orgs.choices import Track

from .base import STANDARD_STEPS, Kind, Material, consent_as_named
from .registration import name_problem

DEFAULT_PREPARATION_MONTHS = 6  # RULES.md (社会团体登记管理条例): 6 months, one 3-month extension


def preparation_months() -> int:
    return int(getattr(settings, "CSO_PREPARATION_MONTHS", DEFAULT_PREPARATION_MONTHS))


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class PreparationKind(Kind):
    def materials_for(self, organization, payload=None):
        return consent_as_named(self.materials, payload)

    def authority_for(self, division):
        return county_of(division)

    def check(self, application) -> None:
        data = application.payload
        errors = {}
        problem = name_problem(application)
        if problem:
            errors["name"] = problem
        if data.get("registration_class") not in DIRECT_CLASSES and not (data.get("supervising_unit") or "").strip():
            errors["supervising_unit"] = "业务主管单位：非直接登记类别须填写业务主管单位（并取得其同意）。"
        if errors:
            raise ValidationError(errors)

    def approve(self, application, user):
        """Approval to prepare: the term is written on the case; no organization yet."""
        today = date.today()
        application.payload = {**application.payload, "approved_on": today.isoformat(),
                               "valid_until": add_months(today, preparation_months()).isoformat()}
        return None


PREPARATION = PreparationKind(
    code="preparation",
    label="社会团体筹备申请",
    description=f"社会团体成立登记前，先向所在县（区）登记管理机关申请筹备；批准后{DEFAULT_PREPARATION_MONTHS}个月内"
                "完成筹备并申请成立登记。",
    track=Track.REGISTERED,
    form=PreparationForm,
    materials=(Material("application", "筹备申请书"), Material("founders", "发起人名单及基本情况"),
               Material("supervisor_consent", "业务主管单位同意文件", required=False)),
    steps=STANDARD_STEPS,
    summary_fields=(("name", "拟定名称"), ("registration_class_label", "登记方式"),
                    ("supervising_unit", "业务主管单位"), ("categories_label", "活动类别"),
                    ("residence", "住所"), ("business_scope", "业务范围"),
                    ("leader_name", "负责人"), ("leader_phone", "联系电话"), ("member_count", "拟发展会员数"),
                    ("approved_on", "批准筹备日期"), ("valid_until", "筹备有效期至")),
)
