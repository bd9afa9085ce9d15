"""Grade evaluation eligibility (等级评估; 民政部令第39号; RULES.md "Grade evaluation").

``eligibility(org, on_date, previous=None)`` → ``(eligible, reasons)``; each reason is ``(code, Chinese text with
its basis)``. ``previous`` is the organization's last evaluation as ``(evaluated_on, valid_until)`` (or None when it
was never evaluated); ``evaluation_services.previous_of`` supplies it.

Setting ``CSO_EVALUATION_RULES``: ``{"": defaults, "<2-digit province code>": overrides}`` with keys
``min_years`` (registered full years before a first application, 2), ``upgrade_years`` (years after the last
evaluation before an upgrade bid, 2 — 本平台建议 default, "many localities"), ``validity_years`` (5),
``renewal_window_days`` (days before the validity ends when a re-evaluation may be requested, 180 — 本平台建议),
``notice_days`` (public notice period, 7 — 本平台建议), ``cutoffs`` (list of ``[grade, minimum total]``,
highest first; default Luoyang's of 1,000: 5A ≥ 900 / 4A ≥ 800 / 3A ≥ 700 / 2A ≥ 600, 1A ≥ 500 本平台建议).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from cso.supervision.annual import _province_of
from cso.supervision.credit_rules import add_years
from cso.supervision.models import AnnualReport, Conclusion, CreditEvent, EnforcementCase, ListEntry
from cso.supervision.models.credit import OPEN_STATES, EventKind

BASIS = "《社会组织评估管理办法》（民政部令第39号）"

DEFAULTS = {
    "min_years": 2,
    "upgrade_years": 2,
    "validity_years": 5,
    "renewal_window_days": 180,
    "notice_days": 7,
    "cutoffs": [["5A", 900], ["4A", 800], ["3A", 700], ["2A", 600], ["1A", 500]],
}

EXAMPLE_CUTOFFS = {  # RULES.md examples
    "anqing": [["5A", 950], ["4A", 901], ["3A", 851], ["2A", 801]],
    "luoyang": [["5A", 900], ["4A", 800], ["3A", 700], ["2A", 600]],
    "chenxi_100": [["5A", 90], ["4A", 80], ["3A", 70], ["2A", 60], ["1A", 50]],
}


def rules_for(province: str | None) -> dict:
    configured = getattr(settings, "CSO_EVALUATION_RULES", {}) or {}
    return {**DEFAULTS, **configured.get("", {}), **configured.get((province or "")[:2], {})}


def grade_for(total, cutoffs) -> str:
    """The grade for a total by the cut-offs (highest first); "" below the lowest."""
    for grade, minimum in cutoffs:
        if total >= minimum:
            return grade
    return ""


def _full_years(start: date, on: date) -> int:
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        years -= 1
    return years


def eligibility(org, on_date: date, previous: tuple[date, date | None] | None = None):
    """Whether ``org`` may apply for a grade evaluation on ``on_date``, and every reason (admissions and
    exclusions) as ``(code, text)``."""
    rules = rules_for(_province_of(org))
    reasons: list[tuple[str, str]] = []
    admitted = False
    # --- admission paths
    if previous is None:
        start = org.registered_on
        if start and _full_years(start, on_date) >= rules["min_years"]:
            admitted = True
            reasons.append(("first", f"登记满{rules['min_years']}个完整年度（{start:%Y-%m-%d}登记）且未参加过评估，"
                                     f"可申请评估（{BASIS}）。"))
        else:
            reasons.append(("too_young", f"登记未满{rules['min_years']}个完整年度"
                                         f"（登记日期：{start or '未填写'}），暂不能申请评估（{BASIS}）。"))
    else:
        evaluated_on, valid_until = previous
        renew_from = (date.fromordinal(valid_until.toordinal() - rules["renewal_window_days"])
                      if valid_until else None)
        upgrade_from = add_years(evaluated_on, rules["upgrade_years"])
        if renew_from and on_date >= renew_from:
            admitted = True
            reasons.append(("renewal", f"评估等级有效期至{valid_until:%Y-%m-%d}届满，可申请重新评估（{BASIS}）。"))
        elif on_date >= upgrade_from:
            admitted = True
            reasons.append(("upgrade", f"距上次评估（{evaluated_on:%Y-%m-%d}）已满{rules['upgrade_years']}年，"
                                       "可申请晋级评估（按本地规定）。"))
        else:
            reasons.append(("too_soon", f"上次评估于{evaluated_on:%Y-%m-%d}，{upgrade_from:%Y-%m-%d}起方可申请晋级评估"
                                        "（按本地规定）。"))
    # --- exclusions (RULES.md "Not evaluated")
    last_year = on_date.year - 1
    reports = {r.year: r for r in AnnualReport.objects.filter(organization=org, year__in=(last_year, last_year - 1))}
    last = reports.get(last_year)
    exclusions = []
    if last is None or not last.submitted_at:
        exclusions.append(("no_annual_report", f"未参加{last_year}年度检查（未报送年度报告），不予评估（{BASIS}）。"))
    elif last.result == Conclusion.FAIL:
        exclusions.append(("annual_fail", f"{last_year}年度检查不合格，不予评估（{BASIS}）。"))
    elif last.result == Conclusion.BASIC and getattr(reports.get(last_year - 1), "result", "") == Conclusion.BASIC:
        exclusions.append(("annual_basic_twice", f"{last_year - 1}、{last_year}年度连续两年年度检查基本合格，"
                                                 f"不予评估（{BASIS}）。"))
    penalties = CreditEvent.objects.filter(organization=org, kind=EventKind.PENALTY,
                                           date__year__gte=last_year, date__lte=on_date)
    running = EnforcementCase.objects.filter(organization=org, decided_on__isnull=False, closed_on__isnull=True,
                                             decided_on__lte=on_date).exclude(penalty_type="")
    penalty = penalties.order_by("-date").first()
    case = running.order_by("-decided_on").first()
    if penalty or case:
        when = f"（{penalty.date:%Y-%m-%d}）" if penalty else f"（{case.decided_on:%Y-%m-%d}决定，尚未执行完毕）"
        exclusions.append(("penalised", f"上年度以来受到行政处罚或处罚尚未执行完毕{when}，不予评估（{BASIS}）。"))
    investigation = EnforcementCase.objects.filter(organization=org, opened_on__lte=on_date, decided_on__isnull=True,
                                                   closed_on__isnull=True).order_by("opened_on").first()
    if investigation:
        exclusions.append(("investigated", f"{investigation.opened_on:%Y-%m-%d}起正在被有关机关立案调查，"
                                           f"不予评估（{BASIS}）。"))
    for entry in ListEntry.objects.filter(organization=org, state__in=OPEN_STATES, entered_on__lte=on_date,
                                          exit_on__isnull=True):
        exclusions.append(("listed", f"{entry.entered_on:%Y-%m-%d}被列入{entry.get_credit_list_display()}，不予评估"
                                     f"（《社会组织信用信息管理办法》、{BASIS}）。"))
    reasons.extend(exclusions)
    return admitted and not exclusions, reasons
