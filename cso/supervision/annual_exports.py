"""The division's lists of annual reports (未报 / 逾期报送 / 审查结论) and their export.

Each list is one queryset scoped by ``visible_to`` (the account's subtree): the missing ones an anti-join of the
organizations owing a report against the reports filed (``annual.missing``), the late ones the reports flagged late.
Pages paginate them; the export streams them as CSV (``cso.core.csvfiles``: UTF-8 with BOM, no cell runs as a
formula) or writes an .xlsx in constant memory with every text written as a string (no formulas, no links).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from django.db.models import Q

from cso.accounts.responsibilities import can
from cso.core import exporting, jobs
from cso.core.scoping import subtree_q
from cso.orgs.choices import Track
from cso.orgs.models import Organization

from . import annual
from .annual_services import today
from .models import AnnualReport, AnnualState

TABS = {"missing": "未报送", "late": "逾期报送", "reviewed": "审查结论"}


@dataclass
class Listing:
    user: object
    tab: str
    year: int
    q: str
    division: str = ""  # a division code inside the account's subtree: only its part of the list

    @classmethod
    def from_request(cls, request) -> Listing:
        return cls.from_params(request.user, request.GET)

    @classmethod
    def from_params(cls, user, params) -> Listing:
        tab = params.get("tab", "missing")
        if tab not in TABS:
            tab = "missing"
        last = today().year - 1
        try:
            year = int(params.get("year") or last)
        except (TypeError, ValueError):
            year = last
        year = min(max(year, 2000), last)
        division = (params.get("division") or "").strip()
        return cls(user, tab, year, (params.get("q") or "").strip()[:50], division if division.isdigit() else "")

    def params(self) -> dict:
        return {"tab": self.tab, "year": self.year, "q": self.q, "division": self.division}

    def divisions(self):
        """The divisions one level below the account's, to narrow the list to one of them."""
        from cso.regions.models import Division

        own = getattr(self.user, "division_id", None)
        return list(Division.objects.filter(parent_id=own).order_by("code")) if own else []

    def _within(self, qs, field: str):
        if not self.division:
            return qs
        from cso.core.hierarchy import PREFIX_LENGTH
        from cso.regions.models import Division

        chosen = Division.objects.visible_to(self.user).filter(code=self.division).first()
        if chosen is None:
            return qs.none()
        return qs.filter(subtree_q(field, chosen.code[:PREFIX_LENGTH[chosen.level]]))

    @property
    def title(self) -> str:
        return f"{self.year}年度年报{TABS[self.tab]}名单"

    @property
    def deadline(self) -> date:
        division = getattr(self.user, "division_id", None)
        return annual.rules_for(division).deadline(self.year)

    def queryset(self):
        if self.tab == "missing":
            orgs = Organization.objects.visible_to(self.user).filter(track=Track.REGISTERED)
            if self.q:
                orgs = orgs.filter(Q(name__icontains=self.q) | Q(credit_code__iexact=self.q))
            orgs = self._within(orgs, "division")
            return (annual.missing(orgs, self.year).select_related("division", "registration_authority")
                    .order_by("division_id", "name", "pk"))
        reports = self._within(AnnualReport.objects.visible_to(self.user), "organization__division")
        if self.q:
            reports = reports.filter(Q(organization__name__icontains=self.q)
                                     | Q(organization__credit_code__iexact=self.q))
        if self.tab == "late":
            reports = annual.late(reports, self.year)
        else:
            reports = reports.filter(year=self.year, state=AnnualState.REVIEWED)
        return reports.select_related("organization", "organization__division").order_by(
            "organization__division_id", "organization__name", "pk")

    def header(self) -> list[str]:
        if self.tab == "missing":
            return ["组织名称", "统一社会信用代码", "所在区划", "登记管理机关", "登记日期", "报送截止日期", "状态"]
        return ["组织名称", "统一社会信用代码", "所在区划", "年度", "状态", "提交时间", "报送截止日期", "逾期",
                "年检结论", "理由"]

    def row(self, obj) -> list:
        if self.tab == "missing":
            overdue = today() > annual.deadline(obj, self.year)
            return [obj.name, obj.credit_code or "", obj.division.name,
                    obj.registration_authority.name if obj.registration_authority else "", obj.registered_on,
                    annual.deadline(obj, self.year), "已逾期未报" if overdue else "未报"]
        org = obj.organization
        submitted = obj.submitted_at.date() if obj.submitted_at else None
        return [org.name, org.credit_code or "", org.division.name, obj.year, obj.get_state_display(), submitted,
                obj.due_on, "是" if obj.late else "否", obj.get_result_display() if obj.result else "", obj.reason]

    def rows(self):
        for obj in self.queryset().iterator(chunk_size=2000):
            yield self.row(obj)



def _filename(listing: Listing, ext: str) -> str:
    return f"{listing.title}.{ext}"


KIND = "supervision.annual_export"


def submit(listing: Listing, fmt: str, back_url: str = ""):
    return jobs.submit(listing.user, KIND, f"导出{listing.title}（.{fmt}）", {**listing.params(), "format": fmt},
                       back_url=back_url)


@jobs.runner(KIND)
def run_export(job, progress: jobs.Progress) -> jobs.Output:
    user = job.user
    if not user.is_active or not can(user, "supervision.annual_export"):
        raise jobs.JobFailed("发起导出的账号已停用或已无权导出年度报告名单。")
    fmt = job.params.get("format")
    if fmt not in ("csv", "xlsx"):
        raise jobs.JobFailed("不支持的导出格式。")
    listing = Listing.from_params(user, job.params)
    progress(0, listing.queryset().count(), "正在导出")
    return _file(listing).output(fmt)


def write_xlsx(listing: Listing, handle) -> None:
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False,
                                            "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet(TABS[listing.tab])
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for col, title in enumerate(listing.header()):
        sheet.set_column(col, col, 30 if col == 0 else 16)
        sheet.write_string(0, col, title, bold)
    for n, row in enumerate(listing.rows(), start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, date):
                sheet.write_string(n, col, value.isoformat(), day)
            elif isinstance(value, int):
                sheet.write_number(n, col, value)
            else:
                sheet.write_string(n, col, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()


def _file(listing: Listing) -> exporting.ListFile:
    return exporting.ListFile(lambda ext: _filename(listing, ext), listing.header(), listing.rows,
                              lambda handle: write_xlsx(listing, handle))


def response(listing: Listing, fmt: str):
    return _file(listing).response(fmt)
