"""Export the current filtered list to .xlsx or .csv.

The rows come from the same FilterSet over ``Organization.objects.visible_to(user)``, read as
``values()`` in chunks (never model instances, never the whole table in memory): each chunk's
categories and service targets are fetched with one query each. The .xlsx is written by
xlsxwriter in constant-memory mode to a temporary file and streamed; the .csv is streamed as it is
produced, UTF-8 with a BOM so that Excel opens the Chinese correctly.

The column set is the one the import (``cso.orgs.importing``) reads.

Small exports (at most ``CSO_EXPORT_SYNC_ROWS`` rows) are answered in the request; larger ones are
a background job (``cso.core.jobs``, kind ``orgs.export``): the request records the filters and
answers at once with the job's page, the worker writes the same file (same writers, same columns,
the same neutralised cells) and the page offers it when done.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime
from types import SimpleNamespace

import xlsxwriter
from django.http import FileResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from cso.accounts.responsibilities import can
from cso.accounts.validators import mask_mobile
from cso.core import csvfiles, jobs

from . import privacy
from .choices import LeaderRole, OrgType, PartyBuilding, Status, Tier, Track
from .models import Leader, Organization
from .validators import mask_id_number

CHUNK = 2000
JOIN = "、"

# (header, key in the row dict, column width): the headers are the import's (cso.orgs.importing),
# so that an exported file imports again with every field the form holds.
COLUMNS = [
    ("组织标识", "uid", 18),
    ("名称", "name", 36),
    ("统一社会信用代码", "credit_code", 22),
    ("管理方式", "track", 16),
    ("组织类型", "org_type", 18),
    ("管理层级", "tier", 20),
    ("社区社会组织", "is_community_org", 8),
    ("枢纽型组织", "is_hub", 8),
    ("所在区划代码", "division_id", 15),
    ("所在区划", "division__name", 20),
    ("登记管理机关", "registration_authority__name", 24),
    ("业务主管单位", "supervising_unit", 20),
    ("业务范围", "business_scope", 40),
    ("登记日期", "registered_on", 12),
    ("备案日期", "filed_on", 12),
    ("成立日期", "founded_on", 12),
    ("类别", "categories", 24),
    ("服务对象", "service_targets", 24),
    ("成员数", "member_count", 8),
    ("注册资金（元）", "registered_capital", 14),
    ("财务托管（代管）", "financial_custody", 8),
    ("住所", "address", 30),
    ("活动场所", "venue__name", 20),
    ("孵化基地", "incubated_by__name", 20),
    ("联系人", "contact_name", 10),
    ("联系电话", "contact_phone", 15),
    ("党建情况", "party_building", 12),
    ("标签", "tags", 16),
    ("负责人姓名", "leader_name", 10),
    ("负责人职务", "leader_role", 12),
    ("负责人身份证号", "leader_id_number", 20),
    ("负责人电话", "leader_phone", 15),
    ("负责人是否中共党员", "leader_party", 8),
    ("其他负责人", "other_leaders", 40),
    ("状态", "status", 10),
]
HEADERS = [c[0] for c in COLUMNS]
LEADER_KEYS = ("leader_name", "leader_role", "leader_id_number", "leader_phone", "leader_party", "other_leaders")
VALUE_FIELDS = [
    "id", "uid", "name", "credit_code", "track", "org_type", "tier", "is_community_org", "is_hub", "division_id",
    "division__name", "registration_authority__name", "supervising_unit", "business_scope", "registered_on",
    "filed_on", "founded_on", "member_count", "registered_capital", "financial_custody", "address", "venue__name",
    "incubated_by__name", "contact_name", "contact_phone", "party_building", "tags", "status",
]
BOOL_FIELDS = ("is_community_org", "is_hub", "financial_custody")
LABELS = {
    "track": dict(Track.choices), "org_type": dict(OrgType.choices), "tier": dict(Tier.choices),
    "party_building": dict(PartyBuilding.choices), "status": dict(Status.choices),
}
ROLE_LABELS = dict(LeaderRole.choices)


def yes_no(value) -> str:
    return "是" if value else "否"


def _leaders(ids: list[int], reveal_ids: bool) -> dict[int, list[tuple]]:
    """Each organization's leaders in the form's order: (name, role label, id number, phone, 是/否).
    The id numbers in full only with ``reveal_ids`` (staff who may change the organizations),
    else masked as on the detail page."""
    out: dict[int, list[tuple]] = defaultdict(list)
    rows = (Leader.objects.filter(organization_id__in=ids).order_by("organization_id", "order", "id")
            .values_list("organization_id", "name", "role", "id_number", "phone", "is_party_member"))
    for org_id, name, role, id_number, phone, party in rows:
        shown = id_number if reveal_ids else mask_id_number(id_number)
        out[org_id].append((name, ROLE_LABELS.get(role, role), shown, phone, yes_no(party)))
    return out


def _terms(ids: list[int]) -> tuple[dict, dict]:
    cats: dict[int, list[str]] = defaultdict(list)
    tgts: dict[int, list[str]] = defaultdict(list)
    through = Organization.categories.through
    for org_id, name in (through.objects.filter(organization_id__in=ids)
                         .order_by("category__order", "category__bit")
                         .values_list("organization_id", "category__name")):
        cats[org_id].append(name)
    through = Organization.service_targets.through
    for org_id, name in (through.objects.filter(organization_id__in=ids)
                         .order_by("servicetarget__order", "servicetarget__bit")
                         .values_list("organization_id", "servicetarget__name")):
        tgts[org_id].append(name)
    return cats, tgts


def iter_rows(queryset, chunk_size: int = CHUNK, progress: Callable[[int], None] | None = None, *,
              reveal_ids: bool = False, phones_of: frozenset[int] | None = None) -> Iterator[list]:
    """Export rows (lists in COLUMNS order, typed: dates as dates, numbers as numbers).
    ``progress(rows so far)`` is called after each chunk. With ``phones_of`` (an operator's or organization's
    export, ``privacy.phones_shown``) the phones of the other organizations are masked."""
    values = queryset.values(*VALUE_FIELDS).iterator(chunk_size=chunk_size)
    batch: list[dict] = []
    done = 0

    def flush(batch):
        ids = [r["id"] for r in batch]
        cats, tgts = _terms(ids)
        leaders = _leaders(ids, reveal_ids)
        for r in batch:
            r["categories"] = JOIN.join(cats.get(r["id"], []))
            r["service_targets"] = JOIN.join(tgts.get(r["id"], []))
            r["tags"] = JOIN.join(r["tags"] or [])
            for key in BOOL_FIELDS:
                r[key] = yes_no(r[key])
            own = leaders.get(r["id"], [])
            if phones_of is not None and r["id"] not in phones_of:
                r["contact_phone"] = mask_mobile(r["contact_phone"]) if r["contact_phone"] else r["contact_phone"]
                own = [(n, role, shown, mask_mobile(phone) if phone else phone, party)
                       for n, role, shown, phone, party in own]
            first = own[0] if own else ("",) * 5
            r.update(zip(LEADER_KEYS[:5], first, strict=True))
            r["other_leaders"] = "；".join("|".join(leader) for leader in own[1:])
            for key, labels in LABELS.items():
                r[key] = labels.get(r[key], r[key])
            if r["registered_capital"] is not None:
                r["registered_capital"] = float(r["registered_capital"])
            yield [r[key] if r[key] is not None else "" for _, key, _ in COLUMNS]

    for row in values:
        batch.append(row)
        if len(batch) >= chunk_size:
            yield from flush(batch)
            done += len(batch)
            if progress:
                progress(done)
            batch = []
    if batch:
        yield from flush(batch)
        if progress:
            progress(done + len(batch))


def filename(ext: str) -> str:
    return f"社会组织名录_{timezone.localdate():%Y%m%d}.{ext}"


# --- csv ---------------------------------------------------------------------------------------
def csv_stream(queryset, reveal_ids: bool = False, phones_of: frozenset[int] | None = None) -> Iterator[str]:
    """The CSV file line by line, through the one CSV writer (no cell runs as a formula)."""
    return csvfiles.lines(HEADERS, iter_rows(queryset, reveal_ids=reveal_ids, phones_of=phones_of))


def csv_response(queryset, reveal_ids: bool = False, phones_of: frozenset[int] | None = None) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_stream(queryset, reveal_ids, phones_of),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename("csv"))
    return response


# --- xlsx --------------------------------------------------------------------------------------
def write_xlsx(queryset, target, progress: Callable[[int], None] | None = None, reveal_ids: bool = False,
               phones_of: frozenset[int] | None = None) -> int:
    """Write the rows to ``target`` (a path or a file object); returns the number of rows."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False,
                                            "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet("社会组织")
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    text = workbook.add_format({"num_format": "@"})
    for col, (title, key, width) in enumerate(COLUMNS):
        fmt = date_format if key.endswith("_on") else text if key in ("credit_code", "division_id", "uid",
                                                                      "contact_phone", "leader_id_number",
                                                                      "leader_phone") else None
        sheet.set_column(col, col, width, fmt)
        sheet.write_string(0, col, title, header)
    sheet.freeze_panes(1, 0)
    date_cols = {i for i, (_, key, _) in enumerate(COLUMNS) if key.endswith("_on")}
    n = 0
    rows = iter_rows(queryset, progress=progress, reveal_ids=reveal_ids, phones_of=phones_of)
    for n, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value == "":
                continue
            if col in date_cols:
                sheet.write_datetime(n, col, datetime.combine(value, datetime.min.time()), date_format)
            elif isinstance(value, int | float):
                sheet.write_number(n, col, value)
            else:
                sheet.write_string(n, col, str(value))
    sheet.autofilter(0, 0, max(n, 1), len(COLUMNS) - 1)
    workbook.close()
    return n


def xlsx_response(queryset, reveal_ids: bool = False, phones_of: frozenset[int] | None = None) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse after streaming
    write_xlsx(queryset, handle, reveal_ids=reveal_ids, phones_of=phones_of)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- in the background ---------------------------------------------------------------------------
KIND = "orgs.export"
XLSX = jobs.XLSX


def export_queryset(user, query: QueryDict):
    """The user's organizations filtered and ordered as the list with ``query`` shows them (the
    list's FilterSet over ``visible_to(user)``; nothing when the filters are invalid)."""
    from . import queries
    from .filters import OrganizationFilter

    request = SimpleNamespace(user=user, GET=query)
    filterset = OrganizationFilter(query or None, queryset=Organization.objects.visible_to(user), request=request)
    if filterset.is_bound and not filterset.form.is_valid():
        return Organization.objects.none()
    return queries.order(filterset.qs, filterset.sort_order)


def reveals_ids(user, queryset) -> bool:
    """Leaders' id numbers in full for those who may change every exported organization (as on the
    detail page), masked for everyone else."""
    from . import services

    return user.is_superuser or not queryset.exclude(services.decided_q(user, "orgs.change")).exists()


def submit(user, query: QueryDict, fmt: str, back_url: str = ""):
    """Export in the background: the job the worker runs (``run_export``)."""
    return jobs.submit(user, KIND, f"导出社会组织名录（.{fmt}）", {"query": query.urlencode(), "format": fmt},
                       back_url=back_url)


@jobs.runner(KIND)
def run_export(job, progress: jobs.Progress) -> jobs.Output:
    user = job.user
    if not user.is_active:
        raise jobs.JobFailed("发起导出的账号已停用。")
    if not can(user, "orgs.export"):
        raise jobs.JobFailed("发起导出的账号已无权导出社会组织名录。")
    fmt = job.params.get("format")
    if fmt not in ("xlsx", "csv"):
        raise jobs.JobFailed("不支持的导出格式。")
    queryset = export_queryset(user, QueryDict(job.params.get("query", "")))
    reveal_ids = reveals_ids(user, queryset)
    phones_of = privacy.phones_shown(user)
    total = queryset.count()
    progress(0, total, "正在导出")
    if fmt == "csv":
        lines = []
        for n, line in enumerate(csv_stream(queryset, reveal_ids, phones_of)):  # the header, then one line per row
            lines.append(line)
            if n % CHUNK == 0:
                progress(n)
        return jobs.Output(filename("csv"), jobs.CSV, "".join(lines).encode("utf-8"))
    with tempfile.TemporaryFile() as handle:
        write_xlsx(queryset, handle, progress=progress, reveal_ids=reveal_ids, phones_of=phones_of)
        handle.seek(0)
        return jobs.Output(filename("xlsx"), XLSX, handle.read())


__all__ = ["COLUMNS", "HEADERS", "csv_response", "iter_rows", "run_export", "submit", "write_xlsx", "xlsx_response"]
