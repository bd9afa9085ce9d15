"""Exports of funding (CSV, UTF-8 with BOM; no cell runs as a formula — ``cso.core.csvfiles``):

- ``money``: the money view of a division and year (by programme kind, the total, the shares and the divisions one
  level down);
- ``awards``: every award of the account's subtree in a year (filters: kind, division), one row each;
- ``applications``: the applications of one programme in ranking order (average, priority bonus, ranking score).

Small exports (at most ``CSO_EXPORT_SYNC_ROWS`` rows — for the money view: awards summed) are answered in the
request; larger ones are written by the worker (``cso.core.jobs``), whose page offers the file to the account that
asked. The worker checks again that the account still may export what it asked for.

The public disclosure (立项公示, no login) of one programme is downloadable as .csv or .xlsx with exactly the columns of
the disclosure page (``DISCLOSURE_HEADER``, ``disclosure_row``: no credit code, no contact, nothing the page hides).
Anonymous visitors own no job, so it is answered in the request and capped at ``CSO_EXPORT_SYNC_ROWS`` awards per
programme (``disclosure_cap``); a larger programme is read on the page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.http import StreamingHttpResponse

from cso.accounts.responsibilities import can
from cso.core import csvfiles, jobs
from cso.core.exporting import ListFile
from cso.regions import codes

from .choices import Kind, ProgrammeState

KIND = "funding.export"
WHATS = ("money", "awards", "applications")


def _division(user, code: str):
    from cso.regions.models import Division

    if not code:
        return None
    return Division.objects.visible_to(user).filter(code=code).first()


def _year(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@dataclass
class Export:
    """One export: what (``money`` / ``awards`` / ``applications``) and its parameters (strings, as in the URL)."""

    user: object
    what: str
    params: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, user, what: str, params) -> Export:
        keys = {"money": ("division", "year"), "awards": ("division", "year", "kind"),
                "applications": ("programme",)}[what]
        return cls(user, what, {k: str(params.get(k) or "")[:20] for k in keys})

    # --- who may ----------------------------------------------------------------------------------
    def division(self):
        return _division(self.user, self.params.get("division", ""))

    def programme(self):
        from .models import Programme

        pk = self.params.get("programme", "")
        return Programme.objects.visible_to(self.user).filter(pk=int(pk)).first() if pk.isdigit() else None

    def allowed(self) -> bool:
        if not getattr(self.user, "is_active", False):
            return False
        if self.what == "applications":
            programme = self.programme()
            return programme is not None and can(self.user, "funding.view", programme)
        action = "funding.awards" if self.what == "awards" else "funding.money"
        if not can(self.user, action):
            return False
        if self.params.get("division"):
            division = self.division()
            return division is not None and can(self.user, action, division)
        return True

    # --- what -------------------------------------------------------------------------------------
    @property
    def year(self) -> int:
        from django.utils import timezone

        return _year(self.params.get("year")) or timezone.localdate().year

    @property
    def title(self) -> str:
        if self.what == "applications":
            programme = self.programme()
            return f"{programme.title if programme else ''}申报排序"
        division = self.division()
        name = division.name if division else "全部"
        return f"{name}{self.year}年资金情况" if self.what == "money" else f"{name}{self.year}年立项明细"

    def awards(self):
        from .models import Award

        qs = Award.objects.visible_to(self.user).filter(year=self.year)
        division = self.division()
        if division is not None:
            qs = qs.within(division.code[: codes.PREFIX_LENGTH[division.level]])
        elif self.params.get("division"):
            return qs.none()
        if self.params.get("kind") in Kind.values:
            qs = qs.filter(kind=self.params["kind"])
        return qs

    def source(self):
        """The rows the export reads (its size decides whether the worker writes it)."""
        if self.what == "applications":
            programme = self.programme()
            return programme.applications.all() if programme else _none()
        return self.awards()

    def header(self) -> list[str]:
        if self.what == "money":
            return ["项目", "预算（元）", "已立项（元）", "已拨付（元）", "未拨付（元）", "结余（元）", "立项数"]
        if self.what == "awards":
            return ["立项日期", "年度", "资金类型", "资助项目", "资助单位", "组织名称", "统一社会信用代码",
                    "组织所在区划", "立项金额（元）", "已拨付（元）", "状态", "农村社区的组织", "公益慈善类组织",
                    "承接政府职能", "财务代管单位"]
        return ["排名", "组织名称", "统一社会信用代码", "服务项目", "申请金额（元）", "评审平均分", "评估等级",
                "优先加分", "排序得分", "状态", "立项金额（元）"]

    def rows(self) -> Iterable[list]:
        return {"money": self._money_rows, "awards": self._award_rows,
                "applications": self._application_rows}[self.what]()

    def _money_rows(self):
        from cso.regions.models import Division

        from . import money

        data = money.summary(self.user, self.division(), self.year)
        for r in data["rows"]:
            yield [r["label"], r["budget"], r["committed"], r["paid"], r["unpaid"], r["remaining"], r["n"]]
        yield ["合计", data["budget"], data["committed"], data["paid"], data["committed"] - data["paid"],
               data["remaining"], data["n"]]
        for key, label in (("rural", "其中：农村社区的组织"), ("charity", "其中：公益慈善类组织"),
                           ("gov", "其中：承接政府职能（政府购买服务）")):
            share = data["shares"][key]
            yield [f"{label}（占已立项{share['pct'] if share['pct'] is not None else '—'}%）", "", share["amount"],
                   "", "", "", ""]
        names = dict(Division.objects.filter(code__in=[c["code"] for c in data["children"]])
                     .values_list("code", "name"))
        for child in data["children"]:
            yield [f"下级区划：{names.get(child['code'], child['code'])}", "", child["committed"], child["paid"],
                   child["committed"] - child["paid"], "", child["n"]]

    def _award_rows(self):
        qs = (self.awards().select_related("programme", "organization", "org_division", "contract__custodian")
              .order_by("-awarded_on", "-pk"))
        for a in qs.iterator(chunk_size=2000):
            contract = getattr(a, "contract", None)
            yield [a.awarded_on, a.year, a.get_kind_display(), a.programme.title, a.programme.funder,
                   a.organization.name, a.organization.credit_code or "", a.org_division.name, a.amount, a.paid,
                   a.get_state_display(), "是" if a.rural else "否", "是" if a.charity else "否",
                   "是" if a.gov_function else "否",
                   contract.custodian.name if contract and contract.custodian else ""]

    def _application_rows(self):
        from . import services

        programme = self.programme()
        if programme is None:
            return
        ranked = services.ranking(programme, programme.applications.select_related("organization", "award")
                                  .prefetch_related("scores").order_by("pk"))
        for a in ranked:
            award = getattr(a, "award", None)
            yield [a.rank or "", a.organization.name, a.organization.credit_code or "", a.title, a.requested,
                   a.average_score, a.grade, a.bonus or "", a.ranking_score, a.get_state_display(),
                   award.amount if award else ""]

    def filename(self) -> str:
        return f"{self.title}.csv"

    def csv_bytes(self) -> bytes:
        return "".join(csvfiles.lines(self.header(), self.rows())).encode("utf-8")


def _none():
    from .models import Application

    return Application.objects.none()


def response(export: Export) -> StreamingHttpResponse:
    out = StreamingHttpResponse(csvfiles.lines(export.header(), export.rows()), content_type=jobs.CSV)
    out["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export.filename())}"
    return out


def submit(export: Export, back_url: str = ""):
    return jobs.submit(export.user, KIND, f"导出{export.title}（.csv）", {"what": export.what, **export.params},
                       back_url=back_url)


@jobs.runner(KIND)
def run_export(job, progress: jobs.Progress) -> jobs.Output:
    what = job.params.get("what")
    if what not in WHATS:
        raise jobs.JobFailed("不支持的导出。")
    export = Export.from_params(job.user, what, job.params)
    if not export.allowed():
        raise jobs.JobFailed("发起导出的账号已停用或已无权导出这些资金扶持数据。")
    progress(0, export.source().count(), "正在导出")
    return jobs.Output(export.filename(), jobs.CSV, export.csv_bytes())


# --- the public disclosure of one programme (立项公示下载) --------------------------------------------------------
DISCLOSURE_HEADER = ["受资助组织", "立项金额（元）", "项目", "资金类型", "资助单位", "立项日期", "状态"]
DISCLOSURE_FORMATS = ("xlsx", "csv")


def public_awards():
    """The awards the disclosure page lists: those of programmes past their draft (published), newest first."""
    from .models import Award

    return (Award.objects.exclude(programme__state=ProgrammeState.DRAFT).select_related("organization", "programme")
            .order_by("-awarded_on", "-pk"))


def disclosure_row(award) -> list:
    """One award as the disclosure page shows it (same columns, same order)."""
    return [award.organization.name, award.amount, award.programme.title, award.get_kind_display(),
            award.programme.funder, award.awarded_on, award.get_state_display()]


def disclosure_cap() -> int:
    return settings.CSO_EXPORT_SYNC_ROWS


def disclosure_response(programme, fmt: str):
    """The programme's disclosed awards as a file, answered now (the caller checked the cap)."""
    from cso.support.exports import write_xlsx

    def rows():
        return (disclosure_row(a) for a in public_awards().filter(programme=programme).iterator(chunk_size=2000))

    return ListFile(filename=lambda ext: f"{programme.title}立项公示.{ext}", header=DISCLOSURE_HEADER, rows=rows,
                    write_xlsx=lambda handle: write_xlsx(DISCLOSURE_HEADER, rows(), handle, "立项公示")).response(fmt)
