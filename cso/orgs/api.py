"""REST API of the organization registry (django-ninja), scoped like the pages.

The list takes the same query parameters as the HTML list and the export (one FilterSet), pages
with a keyset cursor (``after`` / ``before``) or an ``offset``, and counts up to
``queries.COUNT_CAP``. An organization outside the user's division is a 404.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cso.accounts.responsibilities import can
from cso.accounts.validators import mask_mobile
from cso.core.api import MAX_LIMIT
from cso.core.scoping import Scope

from . import privacy, queries
from .filters import OrganizationFilter
from .models import Organization

router = Router(tags=["社会组织"])

NOT_FOUND = "组织不存在，或不在您账号所属区划的范围内。"


class Term(Schema):
    code: str
    name: str


class LeaderOut(Schema):
    name: str
    role: str
    role_display: str
    id_number: str = Field(description="无修改权限时为脱敏号码")
    is_party_member: bool


class OrgOut(Schema):
    uid: str = Field(description="组织标识（备案转登记后不变）")
    name: str
    credit_code: str | None = Field(description="统一社会信用代码（登记类）")
    track: str = Field(description="registered 登记 / filed 备案")
    track_display: str
    org_type: str
    org_type_display: str
    tier: str
    tier_display: str
    division_code: str = Field(description="所在区划（12位代码）")
    division_name: str
    supervising_unit: str = Field(description="业务主管单位（直接登记的组织为空）")
    business_scope: str = Field(description="业务范围")
    registration_authority: str | None = Field(description="登记管理机关名称（备案类组织为空）")
    registration_authority_division: str | None = Field(
        description="登记管理机关（备案类为备案机关）所在区划代码；民政部登记的为空")
    founded_on: date | None
    registered_on: date | None
    filed_on: date | None
    categories: list[Term]
    service_targets: list[Term]
    member_count: int | None
    registered_capital: Decimal | None
    party_building: str
    party_building_display: str
    is_hub: bool
    is_community_org: bool
    incubated: bool
    status: str
    status_display: str

    @staticmethod
    def resolve_track_display(obj):
        return obj.get_track_display()

    @staticmethod
    def resolve_org_type_display(obj):
        return obj.get_org_type_display()

    @staticmethod
    def resolve_tier_display(obj):
        return obj.get_tier_display()

    @staticmethod
    def resolve_party_building_display(obj):
        return obj.get_party_building_display()

    @staticmethod
    def resolve_status_display(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_division_code(obj):
        return obj.division_id

    @staticmethod
    def resolve_division_name(obj):
        return obj.division.name

    @staticmethod
    def resolve_registration_authority(obj):
        return obj.registration_authority.name if obj.registration_authority_id else None

    @staticmethod
    def resolve_registration_authority_division(obj):
        return obj.registration_authority_division_id

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories.all())

    @staticmethod
    def resolve_service_targets(obj):
        return list(obj.service_targets.all())

    @staticmethod
    def resolve_incubated(obj):
        return obj.incubated_by_id is not None


class OrgDetailOut(OrgOut):
    address: str
    contact_name: str
    contact_phone: str
    financial_custody: bool
    tags: list[str]
    venue: str | None
    incubated_by: str | None
    leaders: list[LeaderOut]

    @staticmethod
    def resolve_contact_phone(obj, context):
        if obj.contact_phone and privacy.hides_phones(context["request"].user, obj):
            return mask_mobile(obj.contact_phone)
        return obj.contact_phone

    @staticmethod
    def resolve_venue(obj):
        return obj.venue.name if obj.venue_id else None

    @staticmethod
    def resolve_incubated_by(obj):
        return obj.incubated_by.name if obj.incubated_by_id else None

    @staticmethod
    def resolve_leaders(obj, context):
        user = context["request"].user
        can_change = can(user, "orgs.change", obj)
        return [
            {"name": leader.name, "role": leader.role, "role_display": leader.get_role_display(),
             "id_number": leader.id_number if can_change else leader.masked_id_number,
             "is_party_member": leader.is_party_member}
            for leader in obj.leaders.all()
        ]


class OrgPage(Schema):
    count: int | None = Field(description=f"符合条件的组织数；超过 {queries.COUNT_CAP} 时为空")
    limit: int
    offset: int | None = Field(description="按偏移分页时的偏移量；按游标分页时为空")
    next_cursor: str | None = Field(description="下一页游标，作为 after 参数传回")
    previous_cursor: str | None = Field(description="上一页游标，作为 before 参数传回")
    items: list[OrgOut]


class OrgFilters(Schema):
    q: str | None = Field(None, description="名称字词、拼音全拼或首字母、统一社会信用代码（全码或前6位以上）、"
                                            "负责人姓名")
    division: str | None = Field(None, description="区划代码（12位，或前几位）：其下的全部组织")
    track: str | None = Field(None, description="registered / filed")
    org_type: str | None = Field(None, description="social_group / social_service / foundation / activity_team / "
                                                    "activity_group")
    tier: str | None = Field(None, description="registered / street / community")
    category: str | None = Field(None, description="类别代码")
    target: str | None = Field(None, description="服务对象代码")
    status: str | None = Field(None, description="live（存续）或 active / abnormal / suspended / deregistered / "
                                                 "revoked / cleared")
    party_building: str | None = Field(None, description="any（有党建）或 independent / joint / instructor / "
                                                         "liaison / none")
    incubated: str | None = Field(None, description="yes / no")
    hub: str | None = Field(None, description="hub（枢纽组织）/ member（枢纽组织成员）/ none")
    community: str | None = Field(None, description="yes / no：是否社区社会组织")
    as_of: date | None = Field(None, description="按该日的状态、区划、类别等筛选")
    sort: str | None = Field(None, description="division / name / founded / registered / filed / status，"
                                               "前加 - 为降序")


def _rows_queryset():
    return Organization.objects.select_related("division", "registration_authority").prefetch_related(
        "categories", "service_targets")


@router.get("/", response=OrgPage, summary="社会组织名录")
def list_orgs(
    request,
    filters: Query[OrgFilters],
    limit: int = Query(50, ge=1, description=f"每页条数，最多 {MAX_LIMIT}"),
    offset: int | None = Query(None, ge=0, description="偏移量（与游标二选一）"),
    after: str | None = Query(None, description="游标：取其后的一页"),
    before: str | None = Query(None, description="游标：取其前的一页"),
):
    if not can(request.user, "orgs.view"):
        raise HttpError(403, "您的账号无权查看社会组织。")
    limit = min(limit, MAX_LIMIT)
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.dict().items() if v not in (None, "")}
    filterset = OrganizationFilter(data, queryset=Organization.objects.visible_to(request.user), request=request)
    if not filterset.form.is_valid():
        raise HttpError(422, "筛选条件不正确：" + "；".join(
            f"{filterset.form.fields[k].label}：{' '.join(v)}" for k, v in filterset.form.errors.items()))
    qs = filterset.qs
    sort = filterset.sort_order
    term = (filterset.form.cleaned_data.get("q") or "").strip()
    if queries.search_needs_scope(term, national=Scope.for_user(request.user).is_national,
                                  division=filterset.form.cleaned_data.get("division")):
        raise HttpError(422, queries.NATIONAL_TERM_NOTICE)
    cursor = after or before
    page = queries.paginate(qs, sort=sort, after=after, before=before, offset=None if cursor else (offset or 0),
                            per_page=limit, rows_queryset=_rows_queryset(), probe_order=bool(term))
    offset = None if cursor else min(offset or 0, sort.max_page * limit)
    return {
        "count": page.count, "limit": limit, "offset": offset, "next_cursor": page.next_cursor,
        "previous_cursor": page.previous_cursor, "items": page.rows,
    }


@router.get("/{uid}", response=OrgDetailOut, summary="社会组织详情")
def get_org(request, uid: str):
    org = (
        Organization.objects.visible_to(request.user)
        .select_related("division", "registration_authority", "venue", "incubated_by")
        .prefetch_related("categories", "service_targets", "leaders")
        .filter(uid=uid).first()
    )
    if org is None:
        raise HttpError(404, NOT_FOUND)
    if not can(request.user, "orgs.view", org):
        raise HttpError(403, "您的账号无权查看该组织。")
    return org
