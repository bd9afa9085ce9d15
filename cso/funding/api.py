"""REST API of funding (django-ninja, mounted at /api/funding/), read-only and scoped like the pages: the programmes
of the account's subtree (``funding.view``) and the awards of its subtree (``funding.awards``), each list paged by
``limit`` / ``offset``. A programme or award outside the account's subtree is a 404."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cso.accounts.responsibilities import can
from cso.core.api import MAX_LIMIT, OffsetPage, offset_page
from cso.regions import codes

from .choices import Kind, ProgrammeState
from .models import Award, Programme

router = Router(tags=["资金扶持"])

PROGRAMME_NOT_FOUND = "资金扶持项目不存在，或不在您账号所属区划的范围内。"
AWARD_NOT_FOUND = "立项不存在，或不在您账号所属区划的范围内。"
DIVISION_NOT_FOUND = "区划不存在，或不在您账号所属区划的范围内。"


class ProgrammeOut(Schema):
    id: int
    title: str
    kind: str = Field(description="资金类型代码（purchase 政府购买服务、venture 公益创投……）")
    kind_display: str
    division_code: str = Field(description="资助方所在区划（12位代码）")
    division_name: str
    funder: str
    year: int
    budget: Decimal
    max_award: Decimal | None = Field(description="单个项目资助上限（元）")
    opens_on: date
    closes_on: date
    state: str = Field(description="draft / open / closed / archived")
    state_display: str
    grade_rule: str = Field(description="none / priority（达到等级的优先加分）/ required（须达到等级）")
    min_grade: str = Field(description="等级；为空时用本省设置")
    track_rule: str = Field(description="any / registered / filed")
    rural_only: bool
    cross_district: bool = Field(description="是否允许其他区县的组织申报")

    @staticmethod
    def resolve_kind_display(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_state_display(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_division_code(obj):
        return obj.division_id

    @staticmethod
    def resolve_division_name(obj):
        return obj.division.name


class ProgrammeDetailOut(ProgrammeOut):
    description: str
    categories: list[str] = Field(description="限定类别（名称）；为空则不限")
    applications: int = Field(description="申报数")
    awards: int = Field(description="立项数")
    committed: Decimal = Field(description="已立项金额（元）")
    remaining: Decimal = Field(description="预算结余（元）：预算减已立项")

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories.values_list("name", flat=True))

    @staticmethod
    def resolve_applications(obj):
        return obj.n_apps

    @staticmethod
    def resolve_awards(obj):
        return obj.n_awards

    @staticmethod
    def resolve_committed(obj):
        return obj.committed_sum

    @staticmethod
    def resolve_remaining(obj):
        return obj.budget - obj.committed_sum


class ProgrammePage(OffsetPage):
    items: list[ProgrammeOut]


class AwardOut(Schema):
    id: int
    programme_id: int
    programme_title: str
    kind: str
    kind_display: str
    year: int
    division_code: str = Field(description="资助方所在区划")
    organization_uid: str
    organization_name: str
    org_division_code: str = Field(description="受资助组织所在区划")
    amount: Decimal
    paid: Decimal
    state: str
    state_display: str
    awarded_on: date
    rural: bool = Field(description="农村社区的组织")
    charity: bool = Field(description="公益慈善类组织")
    gov_function: bool = Field(description="承接政府职能（政府购买服务）")

    @staticmethod
    def resolve_programme_title(obj):
        return obj.programme.title

    @staticmethod
    def resolve_kind_display(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_state_display(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_division_code(obj):
        return obj.division_id

    @staticmethod
    def resolve_organization_uid(obj):
        return str(obj.organization.uid)

    @staticmethod
    def resolve_organization_name(obj):
        return obj.organization.name

    @staticmethod
    def resolve_org_division_code(obj):
        return obj.org_division_id


class AwardPage(OffsetPage):
    items: list[AwardOut]


def _within_division(request, qs, code: str | None):
    if not code:
        return qs
    from cso.regions.models import Division

    division = Division.objects.visible_to(request.user).filter(code=code.strip()).first()
    if division is None:
        raise HttpError(404, DIVISION_NOT_FOUND)
    return qs.within(division.code[: codes.PREFIX_LENGTH[division.level]])


def _filtered(request, qs, division: str | None, year: int | None, kind: str | None):
    """The filters programmes and awards share: the funder's division (404 outside the subtree), year, kind."""
    qs = _within_division(request, qs, division)
    if year:
        qs = qs.filter(year=year)
    if kind:
        if kind not in Kind.values:
            raise HttpError(422, "资金类型代码不正确。")
        qs = qs.filter(kind=kind)
    return qs


@router.get("/programmes/", response=ProgrammePage, summary="资金扶持项目")
def list_programmes(
    request,
    year: int | None = Query(None, description="年度"),
    kind: str | None = Query(None, description="资金类型代码"),
    state: str | None = Query(None, description="draft / open / closed / archived"),
    division: str | None = Query(None, description="区划代码（12位）：资助方在其下的项目"),
    limit: int = Query(50, ge=1, description=f"每页条数，最多 {MAX_LIMIT}"),
    offset: int = Query(0, ge=0, description="偏移量"),
):
    if not can(request.user, "funding.view"):
        raise HttpError(403, "您的账号无权查看资金扶持项目。")
    qs = Programme.objects.visible_to(request.user).select_related("division").order_by("-year", "-opens_on", "-pk")
    qs = _filtered(request, qs, division, year, kind)
    if state:
        if state not in ProgrammeState.values:
            raise HttpError(422, "状态代码不正确。")
        qs = qs.filter(state=state)
    return offset_page(qs, limit, offset)


@router.get("/programmes/{programme}", response=ProgrammeDetailOut, summary="资金扶持项目详情")
def get_programme(request, programme: int):
    obj = (Programme.objects.visible_to(request.user).select_related("division")
           .annotate(n_apps=Count("applications", distinct=True)).filter(pk=programme).first())
    if obj is None:
        raise HttpError(404, PROGRAMME_NOT_FOUND)
    if not can(request.user, "funding.view", obj):
        raise HttpError(403, "您的账号无权查看该项目。")
    sums = obj.awards.aggregate(n=Count("pk"), committed=Sum("amount"))
    committed = sums["committed"] or Decimal("0")
    obj.n_awards, obj.committed_sum = sums["n"], committed
    return obj


@router.get("/awards/", response=AwardPage, summary="立项清单")
def list_awards(
    request,
    year: int | None = Query(None, description="年度"),
    kind: str | None = Query(None, description="资金类型代码"),
    division: str | None = Query(None, description="区划代码（12位）：资助方在其下的立项"),
    limit: int = Query(50, ge=1, description=f"每页条数，最多 {MAX_LIMIT}"),
    offset: int = Query(0, ge=0, description="偏移量"),
):
    if not can(request.user, "funding.awards"):
        raise HttpError(403, "您的账号无权查看立项清单。")
    qs = (Award.objects.visible_to(request.user).select_related("programme", "organization")
          .order_by("-awarded_on", "-pk"))
    return offset_page(_filtered(request, qs, division, year, kind), limit, offset)


@router.get("/awards/{award}", response=AwardOut, summary="立项详情")
def get_award(request, award: int):
    obj = (Award.objects.visible_to(request.user).select_related("programme", "organization")
           .filter(pk=award).first())
    if obj is None:
        raise HttpError(404, AWARD_NOT_FOUND)
    if not can(request.user, "funding.awards", obj):
        raise HttpError(403, "您的账号无权查看该立项。")
    return obj
