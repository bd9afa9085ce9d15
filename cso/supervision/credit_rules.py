"""The credit-list rules as pure functions: an organization's credit events (sorted) → its list entries.

Source: RULES.md "Credit lists" (《社会组织信用信息管理办法》，民政部令第60号). RULES.md gives the conditions, not the
article numbers, so each basis names the regulation and the condition in its words.

- 活动异常名录 (abnormal): an annual report missing or not as required, no party organization, an inspection finding
  not fixed, a warning or a fine under ¥50,000, unreachable at the registered address. It is left after the
  obligation is met (a ``corrected`` event: removed within 5 working days of the verification — the exit date is the
  verification's date), or 6 months after entry where nothing needs remedying (a warning, a fine); after 2 full
  years on the list the organization moves to the serious list.
- 严重违法失信名单 (serious): 2 full years on the abnormal list, a change registration obtained by fraud and revoked,
  suspension of activities, a fine ≥ ¥50,000, ≥ 2 warnings or sub-¥50,000 fines within 3 years, court-listed
  dishonest debtor, certificate revoked or registration revoked. The organization may apply to leave 2 years after
  the last listing event (any event that lists it on either list restarts the clock); the exit is on the
  application (an ``exit_application`` event on or after that day).

Timers fire before the events of the same day. Everything here is plain Python over small dataclasses, so the
runner can feed it rows loaded in bulk and the tests hand-computed histories.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ABNORMAL, SERIOUS = "abnormal", "serious"
LISTS = (ABNORMAL, SERIOUS)
FINE_THRESHOLD = Decimal("50000")
REG = "《社会组织信用信息管理办法》（民政部令第60号）"

# reason code -> (list, basis, needs remedying)
REASONS: dict[str, tuple[str, str, bool]] = {
    "annual_report_missing": (ABNORMAL, f"{REG}：未按照规定时限和要求报送年度工作报告", True),
    "annual_report_false": (ABNORMAL, f"{REG}：未按照规定要求报送年度工作报告（内容不实）", True),
    "no_party_org": (ABNORMAL, f"{REG}：未按照有关规定设立党组织", True),
    "inspection_failed": (ABNORMAL, f"{REG}：抽查和监督检查发现问题，未按期完成整改", True),
    "unreachable": (ABNORMAL, f"{REG}：通过登记的住所无法与社会组织取得联系", True),
    "minor_penalty": (ABNORMAL, f"{REG}：受到警告或者不满5万元罚款处罚", False),
    "abnormal_two_years": (SERIOUS, f"{REG}：被列入活动异常名录满2年", False),
    "change_revoked": (SERIOUS, f"{REG}：弄虚作假办理变更登记，被撤销变更登记", False),
    "suspension": (SERIOUS, f"{REG}：受到限期停止活动行政处罚", False),
    "large_fine": (SERIOUS, f"{REG}：受到5万元以上罚款处罚", False),
    "repeated_penalties": (SERIOUS, f"{REG}：三年内两次以上受到警告或者不满5万元罚款处罚", False),
    "court_dishonest": (SERIOUS, f"{REG}：被司法机关纳入失信被执行人名单", False),
    "revocation": (SERIOUS, f"{REG}：被撤销登记、吊销登记证书", False),
}
REASON_LABELS = {
    "annual_report_missing": "未按时报送年度工作报告", "annual_report_false": "年度工作报告不符合要求",
    "no_party_org": "未按规定设立党组织", "inspection_failed": "检查发现问题逾期未整改",
    "unreachable": "通过登记的住所无法取得联系", "minor_penalty": "受到警告或不满5万元罚款",
    "abnormal_two_years": "列入活动异常名录满2年", "change_revoked": "弄虚作假办理变更登记被撤销",
    "suspension": "受到限期停止活动处罚", "large_fine": "受到5万元以上罚款",
    "repeated_penalties": "三年内两次以上受到警告或不满5万元罚款",
    "court_dishonest": "被纳入失信被执行人名单", "revocation": "被撤销登记、吊销登记证书",
}
EXIT_CORRECTED = "已履行相关义务（经核实）"
EXIT_SIX_MONTHS = "列入满6个月，无须纠正的情形"
EXIT_ESCALATED = "列入满2年，转入严重违法失信名单"
EXIT_APPLIED = "列入满2年且未再发生列入情形，经申请移出"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it has no such day: 08-31 + 6 months = 02-28)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class Event:
    """An input fact (a ``CreditEvent`` row)."""

    id: int
    kind: str
    on: date
    penalty_type: str = ""
    fine: Decimal | None = None


@dataclass
class Reason:
    event_id: int | None  # None: a timer (the 2 years on the abnormal list)
    on: date
    code: str
    corrected_on: date | None = None

    @property
    def basis(self) -> str:
        return REASONS[self.code][1]

    @property
    def needs_remedy(self) -> bool:
        return REASONS[self.code][2]

    def as_dict(self) -> dict:
        return {"event": self.event_id, "on": self.on.isoformat(), "code": self.code, "label": REASON_LABELS[self.code],
                "basis": self.basis, "corrected_on": self.corrected_on.isoformat() if self.corrected_on else None}


@dataclass
class Episode:
    """One stay on one list: entry, the reason chain, the timers and (once left) the exit."""

    credit_list: str
    entered_on: date
    reasons: list[Reason] = field(default_factory=list)
    clock_from: date | None = None  # serious: the last listing event (the 2-year clock)
    exit_on: date | None = None
    exit_reason: str = ""

    @property
    def reason_code(self) -> str:
        return self.reasons[0].code

    @property
    def basis(self) -> str:
        return self.reasons[0].basis

    @property
    def is_current(self) -> bool:
        return self.exit_on is None

    @property
    def needs_correction(self) -> bool:
        return self.credit_list == ABNORMAL and any(r.needs_remedy and r.corrected_on is None for r in self.reasons)

    @property
    def escalates_on(self) -> date | None:
        return add_years(self.entered_on, 2) if self.credit_list == ABNORMAL else None

    @property
    def earliest_exit_on(self) -> date | None:
        """Abnormal: the day it leaves by itself (None while something needs correcting); serious: the first day
        an application to leave can succeed."""
        if self.credit_list == SERIOUS:
            return add_years(self.clock_from or self.entered_on, 2)
        if self.needs_correction:
            return None
        return max((add_months(r.on, 6) if not r.needs_remedy else r.corrected_on) for r in self.reasons)

    def chain(self) -> list[dict]:
        return [r.as_dict() for r in self.reasons]


def classify(event: Event, minor_penalties: list[date]) -> list[str]:
    """The reason codes an event gives (``minor_penalties``: the days of earlier warnings / small fines)."""
    kind = event.kind
    if kind in ("annual_report_missing", "annual_report_false", "inspection_failed", "unreachable", "no_party_org"):
        return [kind]
    if kind == "court_dishonest":
        return ["court_dishonest"]
    if kind != "penalty":
        return []
    kind = event.penalty_type
    if kind in ("suspension", "change_revoked", "revocation"):
        return [kind]
    if kind == "fine" and event.fine is not None and event.fine >= FINE_THRESHOLD:
        return ["large_fine"]
    if kind in ("warning", "fine"):
        codes = ["minor_penalty"]
        window = add_years(event.on, -3)
        if any(window <= day <= event.on for day in minor_penalties):
            codes.append("repeated_penalties")
        return codes
    return []  # confiscation alone: recorded, lists nothing


class _Engine:
    def __init__(self):
        self.episodes: list[Episode] = []
        self.open: dict[str, Episode] = {}
        self.minor: list[date] = []

    # --- timers ------------------------------------------------------------------------------
    def advance(self, to: date) -> None:
        """Fire every timer due on or before ``to`` (in date order)."""
        abnormal = self.open.get(ABNORMAL)
        if abnormal is None:
            return
        leave = abnormal.earliest_exit_on
        escalate = abnormal.escalates_on
        if leave is not None and leave <= to and leave < escalate:
            corrected = any(r.corrected_on == leave for r in abnormal.reasons)
            self._close(abnormal, leave, EXIT_CORRECTED if corrected else EXIT_SIX_MONTHS)
        elif escalate <= to:
            self._close(abnormal, escalate, EXIT_ESCALATED)
            self._list(SERIOUS, Reason(None, escalate, "abnormal_two_years"))

    def _close(self, episode: Episode, on: date, why: str) -> None:
        episode.exit_on, episode.exit_reason = on, why
        del self.open[episode.credit_list]

    def _list(self, credit_list: str, reason: Reason) -> None:
        episode = self.open.get(credit_list)
        if episode is None:
            episode = Episode(credit_list, reason.on)
            self.open[credit_list] = episode
            self.episodes.append(episode)
        episode.reasons.append(reason)

    # --- events ------------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        codes = classify(event, self.minor)
        if "minor_penalty" in codes:
            self.minor.append(event.on)
        for code in codes:
            self._list(REASONS[code][0], Reason(event.id, event.on, code))
        serious = self.open.get(SERIOUS)
        if codes and serious is not None:
            serious.clock_from = event.on  # a new listing event restarts the 2 years
        if event.kind == "corrected":
            abnormal = self.open.get(ABNORMAL)
            if abnormal is not None:
                for reason in abnormal.reasons:
                    if reason.needs_remedy and reason.corrected_on is None:
                        reason.corrected_on = event.on
                leave = abnormal.earliest_exit_on
                if leave is not None and leave <= event.on:
                    self._close(abnormal, event.on, EXIT_CORRECTED)
        elif event.kind == "exit_application" and serious is not None and event.on >= serious.earliest_exit_on:
            self._close(serious, event.on, EXIT_APPLIED)


def evaluate(events, as_of: date) -> list[Episode]:
    """Every episode of the organization up to ``as_of`` (events after it are ignored), oldest first."""
    engine = _Engine()
    for event in sorted(events, key=lambda e: (e.on, e.id)):
        if event.on > as_of:
            break
        engine.advance(event.on)
        engine.apply(event)
    engine.advance(as_of)
    return engine.episodes


def current(events, as_of: date) -> dict[str, Episode]:
    """The organization's current entry on each list it is on."""
    return {e.credit_list: e for e in evaluate(events, as_of) if e.is_current}
