"""REST API of the administrative divisions (django-ninja), scoped like the pages.

Every endpoint starts from ``Division.objects.visible_to(request.user, action)``; a division
outside it is a 404. Counts, paths and the figures update are the same service functions the
pages use.
"""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from cso.core.api import MAX_LIMIT, OffsetPage, offset_page
from cso.core.scoping import CHANGE, VIEW

from . import services
from .filters import DivisionFilter
from .forms import DivisionFiguresForm
from .models import Division

router = Router(tags=["行政区划"])

NOT_FOUND = "区划不存在，或不在您账号所属区划的范围内。"


class DivisionOut(Schema):
    code: str = Field(description="12位统计用区划代码")
    name: str
    level: int = Field(description="层级：1省 2地 3县 4乡（街道、镇、乡） 5村（居委会、村委会）")
    level_display: str
    unit_type: str = Field(description="street/town/township（4级），residents/villagers（5级），other")
    unit_type_display: str
    parent_code: str | None
    path: str | None = Field(None, description="完整区划路径，如“广西壮族自治区 / 南宁市 / 兴宁区 / 民生街道”")
    edition: int = Field(description="最近出现该代码的代码表年度")
    first_edition: int
    abolished_in: int | None = Field(description="撤销年度；现行单位为空")
    successor_code: str | None
    population: int | None
    households: int | None
    figures_source: str = Field(description="census 人口普查 / estimate 估算 / entered 工作人员填报 / 空")
    figures_year: int | None
    figures_estimated: bool
    facility_area: float | None = Field(description="社区综合服务设施面积（㎡）")
    facility_area_estimated: bool
    facility_area_per_100_households: float | None
    urban_rural_code: str
    urban_rural_label: str
    urban_rural_edition: int | None
    urban_rural_is_proxy: bool = Field(description="城乡分类代码取自早于区划代码表的版本（代用）")
    urban_by_committee: bool | None = Field(description="按委员会类型：居委会为城市社区")
    urban_by_code: bool | None = Field(description="按城乡分类代码：1xx 城镇，2xx 乡村")

    @staticmethod
    def resolve_level_display(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_unit_type_display(obj):
        return obj.get_unit_type_display() if obj.unit_type else ""

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent_id

    @staticmethod
    def resolve_successor_code(obj):
        return obj.successor_id

    @staticmethod
    def resolve_path(obj):
        return getattr(obj, "path", None)

    @staticmethod
    def resolve_facility_area(obj):
        return None if obj.facility_area is None else float(obj.facility_area)


class DivisionPage(OffsetPage):
    items: list[DivisionOut]


class DescendantStats(Schema):
    counts: dict[int, int] = Field(description="各下级层级的单位数，键为层级")
    residents: int = Field(description="所辖居委会数")
    villagers: int = Field(description="所辖村委会数")
    communities: int
    community_population: int | None
    community_households: int | None
    community_facility_area: float | None
    communities_with_area: int
    communities_meeting_standard: int = Field(description="设施面积每百户不少于30㎡的社区数")


class ChildOut(DivisionOut):
    descendants: DescendantStats


class FiguresIn(Schema):
    population: int | None = Field(None, description="常住人口（人），非负整数")
    households: int | None = Field(None, description="户数（户），非负整数，不多于常住人口")
    facility_area: Decimal | None = Field(None, description="社区综合服务设施面积（㎡），0–100000，可留空")
    reason: str = Field("", description="变更说明，记入变更记录")


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


def _get(request, code: str, action: str = VIEW) -> Division:
    division = Division.objects.visible_to(request.user, action).filter(code=code).first()
    if division is None:
        raise HttpError(404, NOT_FOUND)
    return division


@router.get("/", response=DivisionPage, summary="检索区划")
def list_divisions(
    request,
    q: str | None = Query(None, description="名称包含的字词；全部为数字时按区划代码前缀检索"),
    parent: str | None = Query(None, description="上级区划代码：只列出其直接下级"),
    level: int | None = Query(None, ge=1, le=5, description="层级 1–5"),
    include_abolished: bool = Query(False, description="包含已撤销的区划"),
    limit: int = Query(50, ge=1, description=f"每页条数，最多 {MAX_LIMIT}（更大的值按 {MAX_LIMIT} 处理）"),
    offset: int = Query(0, ge=0),
):
    data = {
        "q": q or "",
        "parent": parent or "",
        "level": str(level) if level else "",
        "include_abolished": "true" if include_abolished else "false",
    }
    qs = DivisionFilter(data, queryset=Division.objects.visible_to(request.user)).qs
    return offset_page(qs, limit, offset, items=services.attach_paths)


@router.get("/{code}", response=DivisionOut, summary="区划详情")
def get_division(request, code: str):
    division = _get(request, code)
    services.attach_paths([division])
    return division


@router.get("/{code}/children", response=list[ChildOut], summary="直接下级及其下属单位数")
def list_children(request, code: str, include_abolished: bool = Query(False, description="包含已撤销的区划")):
    division = _get(request, code)
    children = services.children_queryset(division, request.user, include_abolished)
    rows = services.child_rows(children, request.user, include_abolished)
    result = []
    for row in rows:
        child = row.division
        child.descendants = row.stats
        result.append(child)
    return result


@router.patch(
    "/{code}/figures", response={200: DivisionOut, 422: ValidationErrorOut}, summary="填报人口、户数和设施面积"
)
def update_figures(request, code: str, payload: FiguresIn):
    """Same validation and permission as the page: only staff whose change scope contains the division."""
    division = _get(request, code, CHANGE)
    given = payload.model_dump(exclude_unset=True)
    current = DivisionFiguresForm.initial_for(division)
    merged = {**current, **{k: v for k, v in given.items() if k in current}}
    form = DivisionFiguresForm(
        data={k: "" if v is None else str(v) for k, v in {**merged, "reason": payload.reason}.items()}
    )
    if not form.is_valid():
        return Status(
            422,
            {
                "detail": "数据未通过校验。",
                "errors": {field: [str(e) for e in errors] for field, errors in form.errors.items()},
            },
        )
    services.update_figures(
        division,
        request.user,
        population=form.cleaned_data["population"],
        households=form.cleaned_data["households"],
        facility_area=form.cleaned_data["facility_area"],
        reason=form.cleaned_data["reason"],
    )
    services.attach_paths([division])
    return Status(200, division)
