"""The supervision dashboard of a division (issue 11 part 7): report filing rate, inspection coverage against the
minimum rate, organizations on the credit lists, grade distribution and zombie candidates — each a link to its list.

Every figure is an aggregate (COUNT … GROUP BY): the number of queries is bounded whatever the size of the
registry (see ``test_dashboard.py``'s budget). Scoping: ``resolve_division`` is the one entry point (a division
outside the account's subtree is a 404); all counts are of organizations placed in the division's subtree.

The grade distribution (等级评估) and zombie candidates (僵尸型社会组织) read their models only when they exist
(``apps.get_model`` in a try/except LookupError), so this page works before and after those parts are merged;
absent, it says 尚未开展.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from cso.core.hierarchy import PREFIX_LENGTH
from cso.core.scoping import Scope, subtree_q
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import Organization
from cso.regions.models import Division
from cso.regions.services import breadcrumb_divisions, visible_root

from . import annual
from .models import FILED_STATES, AnnualReport, InspectionPlan, InspectionTarget, ListEntry
from .models.credit import CreditList, EntryState
from .models.inspections import min_rate

NOT_STARTED = "尚未开展"
GRADE_MODEL = "Evaluation"


def resolve_division(user, code: str | None) -> Division | None:
    """``code`` inside the account's subtree (404 outside), or its own division; None is the whole country
    (national accounts only)."""
    scope = Scope.for_user(user)
    if scope.nothing:
        raise Http404("no division")
    code = (code or "").strip()
    if code:
        return get_object_or_404(Division.objects.visible_to(user), code=code)
    return visible_root(user)


def _prefix(division: Division | None) -> str:
    return division.code[:PREFIX_LENGTH[division.level]] if division is not None else ""


def _within(field_name: str, division: Division | None) -> Q:
    return subtree_q(field_name, _prefix(division)) if division is not None else Q()


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _url(name: str, **params) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


@dataclass
class Panel:
    key: str
    title: str
    started: bool = True
    figures: list[dict] = field(default_factory=list)  # label, value, url, unit
    note: str = ""


def _figure(label, value, url=None, unit="个") -> dict:
    return {"label": label, "value": value, "url": url, "unit": unit}


# --- annual reports -----------------------------------------------------------------------------------------
def annual_panel(division: Division | None, today: date) -> Panel:
    year = today.year - 1
    province = division.code if division is not None else None
    deadline = annual.rules_for(province).deadline(year)
    orgs = Organization.objects.filter(_within("division", division), track=Track.REGISTERED)
    owed = annual.owing(orgs, year).count()
    counts = AnnualReport.objects.filter(_within("organization__division", division), year=year,
                                         state__in=FILED_STATES).aggregate(
        filed=Count("pk"), late=Count("pk", filter=Q(late=True)), reviewed=Count("pk", filter=Q(state="reviewed")))
    # annual.missing(orgs, year), its subquery narrowed to the division's reports (the same organizations: a
    # report is placed where its organization is): a county's count no longer hashes the country's reports
    filed = AnnualReport.objects.filter(_within("organization__division", division), year=year,
                                        state__in=FILED_STATES).values("organization_id")
    missing = annual.owing(orgs, year).exclude(pk__in=filed).count()
    code = division.code if division is not None else ""
    lists = "supervision:annual_lists"
    panel = Panel("annual", f"{year}年度年报报送（截止 {deadline:%Y-%m-%d}）")
    panel.figures = [
        _figure("应报", owed),
        _figure("已报送", counts["filed"], _url(lists, tab="reviewed", year=year, division=code)),
        _figure("逾期报送", counts["late"], _url(lists, tab="late", year=year, division=code)),
        _figure("未报送" if today > deadline else "尚未报送", missing,
                _url(lists, tab="missing", year=year, division=code)),
        _figure("报送率", _rate(counts["filed"], owed), None, "%"),
    ]
    panel.note = "未报送：截止日期已过仍未报送（将记入信用记录）。" if today > deadline else "截止日期前仍可报送。"
    return panel


# --- inspections --------------------------------------------------------------------------------------------
def inspection_panel(division: Division | None, today: date) -> Panel:
    year = today.year
    if division is None:
        registered = Organization.objects.filter(registration_authority_division__isnull=True,
                                                 track=Track.REGISTERED, status__in=LIVE_STATUSES).count()
        body = Q(division__isnull=True)
        minimum = Decimal(0)
    else:
        registered = Organization.objects.filter(registration_authority_division_id=division.code,
                                                 track=Track.REGISTERED, status__in=LIVE_STATUSES).count()
        body = Q(division_id=division.code)
        minimum = min_rate(division.level, division.code)
    plans = InspectionPlan.objects.filter(body, year=year).aggregate(
        plans=Count("pk"), drawn=Count("pk", filter=~Q(state=InspectionPlan.State.DRAFT)))
    sampled = (InspectionTarget.objects.filter(plan__year=year, plan__kind=InspectionPlan.Kind.YEARLY)
               .filter(Q(plan__division__isnull=True) if division is None else Q(plan__division_id=division.code))
               .exclude(plan__state=InspectionPlan.State.DRAFT)
               .aggregate(n=Count("organization", distinct=True))["n"])
    rate = _rate(sampled, registered)
    panel = Panel("inspection", f"{year}年度随机抽查（本级登记机关）")
    url = reverse("supervision:inspection_plans")
    panel.figures = [
        _figure("本级登记的组织", registered),
        _figure("抽查计划", plans["plans"], url),
        _figure("已抽取的组织", sampled, url),
        _figure("抽查比例", rate, None, "%"),
        _figure("最低抽查比例", minimum, None, "%"),
    ]
    if rate is not None and minimum and rate < minimum:
        panel.note = f"抽查比例低于最低比例 {minimum}%（CSO_INSPECTION_MIN_RATES）。"
    elif rate is not None:
        panel.note = "已达到最低抽查比例。"
    return panel


# --- credit lists -------------------------------------------------------------------------------------------
def credit_panel(division: Division | None) -> Panel:
    rows = (ListEntry.objects.filter(_within("organization__division", division),
                                     state__in=(EntryState.PROPOSED, EntryState.CONFIRMED))
            .values("credit_list", "state").annotate(n=Count("organization", distinct=True)))
    counts = {(r["credit_list"], r["state"]): r["n"] for r in rows}
    url = "supervision:credit_entries"
    panel = Panel("credit", "列入信用名录的组织")
    for credit_list in CreditList:
        panel.figures.append(_figure(f"{credit_list.label}（已列入）", counts.get((credit_list, "confirmed"), 0),
                                     _url(url, list=credit_list.value, state="confirmed")))
    proposed = sum(v for (_, state), v in counts.items() if state == "proposed")
    panel.figures.append(_figure("待确认的列入", proposed, _url(url, state="proposed")))
    return panel


# --- models of other parts (may not exist yet) ---------------------------------------------------------------
def _model(*names):
    for name in names:
        try:
            return apps.get_model("supervision", name)
        except LookupError:
            continue
    return None


def _scoped(model, division):
    for path in ("organization__division", "division"):
        try:
            model._meta.get_field(path.split("__")[0])
        except FieldDoesNotExist:
            continue
        return model.objects.filter(_within(path, division))
    return model.objects.all()


def grade_panel(division: Division | None) -> Panel:
    panel = Panel("grades", "等级评估结果分布")
    model = _model(GRADE_MODEL)
    if model is None:
        panel.started = False
        return panel
    try:
        model._meta.get_field("grade")
        rows = _scoped(model, division).values("grade").annotate(n=Count("pk")).order_by("grade")
        field_ = model._meta.get_field("grade")
        labels = dict(field_.choices or [])
        panel.figures = [_figure(str(labels.get(r["grade"], r["grade"] or "未定级")), r["n"]) for r in rows]
    except (FieldDoesNotExist, FieldError):
        panel.figures = [_figure("评估记录", _scoped(model, division).count())]
    return panel


def zombie_panel(division: Division | None) -> Panel:
    """The candidates of the last zombie scan (score at or above the province's threshold, 本平台建议)."""
    from .models import ZombieScore
    from .zombie import candidates

    panel = Panel("zombies", "疑似僵尸型社会组织")
    if not ZombieScore.objects.exists():
        panel.started = False
        return panel
    code = division.code if division else None
    qs = candidates(code[:2] if code else None).filter(_within("organization__division", division))
    panel.figures = [_figure("疑似僵尸型组织", qs.count(), _url("supervision:zombie_candidates"))]
    return panel


# --- the page -----------------------------------------------------------------------------------------------
def build(user, division: Division | None, today: date) -> list[Panel]:
    return [annual_panel(division, today), inspection_panel(division, today), credit_panel(division),
            grade_panel(division), zombie_panel(division)]


def children(user, division: Division | None) -> list[Division]:
    """The divisions one level below, to pick one (the picker stays inside the account's subtree)."""
    qs = Division.objects.visible_to(user)
    qs = qs.filter(parent__isnull=True) if division is None else qs.filter(parent_id=division.code)
    return list(qs.order_by("code")[:200])


def breadcrumbs(user, division: Division | None) -> list[dict]:
    name = "supervision:dashboard"
    crumbs = [] if visible_root(user) is not None else [{"label": "全国", "url": reverse(name)}]
    for d in breadcrumb_divisions(division, user):
        crumbs.append({"label": d.name, "url": _url(name, division=d.code)})
    if crumbs:
        crumbs[-1]["url"] = None
    return crumbs
