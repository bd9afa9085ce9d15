"""REST API of the statistics (django-ninja, mounted at /api/stats/): indicators of a division on a
date, the community list and the effective targets — the same engine and scoping as the pages
(a division outside the user's subtree is a 404)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from cso.core.api import MAX_LIMIT, OffsetPage, offset_page
from cso.regions import codes

from .forms import clean_division_code
from .indicators import INDICATORS, CommunityList, compute_cached, drill_url, quarter_start, resolve_parent
from .rollups import RollUpPending
from .targets import effective_targets

router = Router(tags=["统计指标"])

NOT_FOUND = "区划不存在，或不在您账号所属区划的范围内。"


class IndicatorOut(Schema):
    key: str
    label: str
    unit: str
    meaning: str
    formula: str
    kind: str = Field(description="count：可按下级相加；ratio：由分子分母重新计算")
    target_key: str | None
    group: str


class RowOut(Schema):
    code: str = Field(description="区划代码；全国为空")
    name: str
    level: int
    is_direct: bool = Field(description="直接位于上级区划本级的组织和孵化基地")
    values: dict[str, int | Decimal | None]
    targets: dict[str, Decimal]
    links: dict[str, str] = Field(description="各数字背后的名单链接（组织名录或社区明细）")


class StatsOut(Schema):
    day: date
    period_start: date
    urban_rule: str
    urban_rule_label: str
    targets: dict[str, Decimal]
    total: RowOut
    rows: list[RowOut]
    indicators: list[IndicatorOut]


class PendingOut(Schema):
    detail: str
    retry_after: int = Field(description="建议的重试间隔（秒）")


class CommunityOut(Schema):
    code: str
    name: str
    urban: bool | None
    population: int | None
    households: int | None
    facility_area: Decimal | None
    facility_ok: bool
    cso: int = Field(description="存续社区社会组织数")
    target: Decimal | None
    gap: Decimal | None
    at_target: bool | None
    categories_present: list[str]
    categories_missing: list[str]
    targets_present: list[str]
    targets_missing: list[str]


class CommunityPage(OffsetPage):
    items: list[CommunityOut]


class TargetOut(Schema):
    key: str
    value: Decimal
    source_code: str = Field(description="设定该值的区划；政策默认值为空")
    source_name: str
    is_default: bool


def _code(request, division: str | None) -> str:
    if division:
        try:
            return clean_division_code(division)
        except Exception as exc:
            raise HttpError(404, NOT_FOUND) from exc
    own = getattr(request.user, "division", None)
    return own.code if own else ""


def _row(row, day, period_start):
    links = {}
    for key, value in row.values.items():
        if value is not None:
            url = drill_url(key, row.code, day, period_start)
            if url:
                links[key] = url
    return {"code": row.code, "name": row.name, "level": row.level, "is_direct": row.is_direct,
            "values": row.values, "targets": row.targets, "links": links}


@router.get("/indicators", response={200: StatsOut, 202: PendingOut}, summary="统计指标（按下级区划及合计）",
            description="全国和省级指标由后台任务汇总：首次请求时返回 202，请按 retry_after 秒后重试。")
def indicators(
    request,
    division: str | None = Query(None, description="区划代码，默认本账号所属区划；000000000000 为全国"),
    as_of: date | None = Query(None, description="截至日期，默认今天"),
    period_start: date | None = Query(None, description="本期起始日，默认截至日期所在季度的第一天"),
):
    day = as_of or date.today()
    start = period_start or quarter_start(day)
    if start > day:
        raise HttpError(422, "本期起始日不能晚于截至日期。")
    try:
        result, _computed_at = compute_cached(_code(request, division), day, period_start=start, user=request.user)
    except RollUpPending:
        return Status(202, {"detail": "全国/省级指标正在后台汇总，请稍后重试。", "retry_after": 5})
    except Http404 as exc:
        raise HttpError(404, NOT_FOUND) from exc
    return {
        "day": result.day, "period_start": result.period_start, "urban_rule": result.urban_rule,
        "urban_rule_label": result.urban_rule_label, "targets": result.targets,
        "total": _row(result.parent, day, start), "rows": [_row(r, day, start) for r in result.rows],
        "indicators": [i.__dict__ for i in [*INDICATORS.values(), *result.dynamic]],
    }


@router.get("/communities", response=CommunityPage, summary="社区（村）明细：组织数、目标、差距、缺少的类别")
def communities(
    request,
    division: str | None = Query(None, description="区划代码（其下所有社区），默认本账号所属区划"),
    as_of: date | None = Query(None, description="截至日期，默认今天"),
    urban: str | None = Query(None, description="urban 城市社区 / rural 农村社区"),
    at_target: bool | None = Query(None, description="组织数是否达标"),
    facility_ok: bool | None = Query(None, description="设施面积是否达标"),
    sort: str = Query("gap", description="gap 差距从大到小 / -gap / cso / code"),
    limit: int = Query(50, ge=1, description=f"每页条数，最多 {MAX_LIMIT}"),
    offset: int = Query(0, ge=0),
):
    try:
        rows = CommunityList(_code(request, division), as_of or date.today(), user=request.user,
                             urban=urban if urban in ("urban", "rural") else None, at_target=at_target,
                             facility_ok=facility_ok, sort=sort)
    except Http404 as exc:
        raise HttpError(404, NOT_FOUND) from exc
    return offset_page(rows, limit, offset, items=lambda page: [c.__dict__ for c in page])


@router.get("/targets", response=list[TargetOut], summary="有效目标值及其来源")
def targets(
    request,
    division: str | None = Query(None, description="区划代码，默认本账号所属区划"),
    year: int | None = Query(None, ge=2000, le=2100, description="年度，默认今年"),
):
    code = _code(request, division)
    try:
        parent = resolve_parent(code, request.user)
    except Http404 as exc:
        raise HttpError(404, NOT_FOUND) from exc
    found = effective_targets(parent.code if parent else "0" * codes.CODE_LENGTH, year or date.today().year)
    return [{"key": k, **tv.__dict__} for k, tv in found.items()]
