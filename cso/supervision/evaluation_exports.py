"""The bureau's list of grade evaluations (filters: state, year, grade, division; search by name or credit code)
and its export: CSV through ``cso.core.csvfiles`` (UTF-8 with BOM, no cell runs as a formula) or .xlsx with every
text written as a neutralised string. Above ``CSO_EXPORT_SYNC_ROWS`` rows the export is a background job
(``cso.core.jobs``, kind ``supervision.evaluation_export``) whose page offers the file when done. Every row starts
from ``Evaluation.objects.visible_to`` (the account's subtree)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import xlsxwriter
from django.db.models import Q

from cso.accounts.responsibilities import can
from cso.core import csvfiles, exporting, jobs
from cso.core.hierarchy import PREFIX_LENGTH
from cso.core.scoping import subtree_q

from .models import Evaluation, EvaluationState

GRADES = ["5A", "4A", "3A", "2A", "1A"]
NO_GRADE = "none"
HEADER = ["组织名称", "统一社会信用代码", "所在区划", "评估类别", "指标体系", "评估年度", "状态", "申请日期",
          "审定总分", "等级", "公示日期", "公示截止", "等级确定日期", "有效期至"]


@dataclass
class Listing:
    user: object
    state: str = ""
    year: int | None = None
    grade: str = ""
    division: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, user, params) -> Listing:
        state = params.get("state", "")
        grade = params.get("grade", "")
        year = params.get("year", "")
        division = (params.get("division") or "").strip()
        return cls(user, state if state in EvaluationState.values else "",
                   int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None,
                   grade if grade in (*GRADES, NO_GRADE) else "", division if division.isdigit() else "",
                   (params.get("q") or "").strip()[:50])

    def params(self) -> dict:
        return {k: v for k, v in {"state": self.state, "year": self.year or "", "grade": self.grade,
                                  "division": self.division, "q": self.q}.items() if v}

    def query(self) -> str:
        return urlencode(self.params())

    def divisions(self):
        from cso.regions.models import Division

        own = getattr(self.user, "division_id", None)
        return list(Division.objects.filter(parent_id=own).order_by("code")) if own else []

    def queryset(self):
        qs = Evaluation.objects.visible_to(self.user).select_related("organization", "organization__division", "tree")
        if self.state:
            qs = qs.filter(state=self.state)
        if self.year:
            qs = qs.filter(year=self.year)
        if self.grade == NO_GRADE:
            qs = qs.filter(grade="", state=EvaluationState.FINAL)
        elif self.grade:
            qs = qs.filter(grade=self.grade)
        if self.q:
            qs = qs.filter(Q(organization__name__icontains=self.q) | Q(organization__credit_code__iexact=self.q))
        if self.division:
            from cso.regions.models import Division

            chosen = Division.objects.visible_to(self.user).filter(code=self.division).first()
            if chosen is None:
                return qs.none()
            qs = qs.filter(subtree_q("organization__division", chosen.code[:PREFIX_LENGTH[chosen.level]]))
        return qs.order_by("-applied_on", "-pk")

    def row(self, ev) -> list:
        org = ev.organization
        grade = ev.grade or ("未达等级" if ev.state == EvaluationState.FINAL else "")
        return [org.name, org.credit_code or "", org.division.name, ev.tree.get_track_display(), ev.tree.title, ev.year,
                ev.get_state_display(), ev.applied_on, ev.total, grade, ev.published_on, ev.notice_until, ev.final_on,
                ev.valid_until]

    def rows(self):
        for ev in self.queryset().iterator(chunk_size=2000):
            yield self.row(ev)


KIND = "supervision.evaluation_export"


def submit(listing: Listing, fmt: str, back_url: str = ""):
    return jobs.submit(listing.user, KIND, f"导出等级评估名单（.{fmt}）", {**listing.params(), "format": fmt},
                       back_url=back_url)


@jobs.runner(KIND)
def run_export(job, progress: jobs.Progress) -> jobs.Output:
    """The worker's side of a large export: the same rows, read again for the account that asked."""
    user = job.user
    if not user.is_active or not can(user, "supervision.evaluation_list"):
        raise jobs.JobFailed("发起导出的账号已停用或已无权查看等级评估名单。")
    fmt = job.params.get("format")
    if fmt not in ("csv", "xlsx"):
        raise jobs.JobFailed("不支持的导出格式。")
    listing = Listing.from_params(user, {k: str(v) for k, v in job.params.items()})
    progress(0, listing.queryset().count(), "正在导出")
    return _file(listing).output(fmt)


def _filename(ext: str) -> str:
    return f"等级评估名单.{ext}"


def write_xlsx(listing: Listing, handle) -> None:
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False,
                                            "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet("等级评估")
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for col, title in enumerate(HEADER):
        sheet.set_column(col, col, 30 if col == 0 else 14)
        sheet.write_string(0, col, title, bold)
    for n, row in enumerate(listing.rows(), start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                sheet.write_string(n, col, value.isoformat())
            elif isinstance(value, int):
                sheet.write_number(n, col, value)
            else:
                sheet.write_string(n, col, csvfiles.neutralise(str(value)))
    sheet.freeze_panes(1, 0)
    workbook.close()


def _file(listing: Listing) -> exporting.ListFile:
    return exporting.ListFile(_filename, HEADER, listing.rows, lambda handle: write_xlsx(listing, handle))


def response(listing: Listing, fmt: str):
    return _file(listing).response(fmt)
