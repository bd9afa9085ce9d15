"""Moves of an annual report. Each checks the responsibilities table, the state and the content, then writes the
report and its event in one transaction (nothing half-written); the report row is locked while it moves.

- ``start(user, org, year)``: the organization's account opens (or finds) its draft for a year it owes;
- ``save_draft(report, user, data)``: while a draft or returned; after submission nothing changes but by a return;
- ``submit(report, user)``: every part complete (messages name the fields); late when after the deadline;
- ``return_for_correction(report, user, reason)`` and ``review(report, user, result, reason)``: the supervising
  bureau; 基本合格 and 不合格 need a reason;
- attachments: ``add_attachment`` / ``remove_attachment`` (``cso.core.attachments`` stores and serves them).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cso.accounts.responsibilities import require
from cso.core import attachments

from . import annual, feeds
from .models import (
    EDITABLE_STATES,
    MONEY_FIELDS,
    PARTY_FIELDS,
    WORK_FIELDS,
    AnnualReport,
    AnnualReportAttachment,
    AnnualReportEvent,
    AnnualState,
    Conclusion,
)
from .signals import annual_report_moved

FORM_FIELDS = (*WORK_FIELDS, *MONEY_FIELDS, *PARTY_FIELDS, "remediation_report")
MAX_ATTACHMENTS = 20  # 本平台建议
ATTACHMENT_TYPES = ("pdf", "jpeg", "png", "heic", "xlsx", "docx")


def today() -> date:
    return timezone.localdate()


def _label(field: str) -> str:
    return str(AnnualReport._meta.get_field(field).verbose_name)


def _event(report, user, verb, from_state, reason="", result=""):
    return AnnualReportEvent.objects.create(report=report, actor=user, verb=verb, from_state=from_state,
                                            to_state=report.state, reason=reason, result=result)


def _announce(report, event) -> None:
    transaction.on_commit(lambda: annual_report_moved.send(sender=AnnualReport, report=report, event=event))


def _locked(report) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("organization").get(pk=report.pk)


def _editable(report, what="年度报告") -> None:
    if report.state not in EDITABLE_STATES:
        state = report.get_state_display()
        raise ValidationError(f"{what}当前为“{state}”，已提交的报告不能修改（退回修改后才能修改）。")


# --- the organization ------------------------------------------------------------------------------
@transaction.atomic
def start(user, org, year: int) -> AnnualReport:
    require(user, "supervision.annual_fill", org)
    if year >= today().year:
        raise ValidationError(f"年度：{year}年度尚未结束，次年才能填报该年度的年度报告。")
    existing = AnnualReport.objects.filter(organization=org, year=year).first()
    if existing is not None:
        return existing
    if not annual.owes_report(org, year):
        raise ValidationError(f"年度：{org.name}无须报送{year}年度的年度报告（依法登记且在该年度"
                              f"{annual.rules_for(org.division_id).cutoff(year):%-m月%-d日}前登记的组织须报送）。")
    report = AnnualReport.objects.create(organization=org, year=year, created_by=user,
                                         due_on=annual.deadline(org, year))
    _event(report, user, "create", "")
    return report


@transaction.atomic
def save_draft(report, user, data: dict) -> AnnualReport:
    require(user, "supervision.annual_fill", report)
    locked = _locked(report)
    _editable(locked)
    for field in FORM_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    locked.full_clean(exclude=["organization", "created_by", "reviewer"])
    locked.save()
    return locked


def problems(report) -> dict[str, list[str]]:
    """What stops ``report`` from being submitted, by field (Chinese, naming the field)."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for field in ("work_compliance", "work_changes", "work_activities", "work_personnel", "work_funds"):
        if not (getattr(report, field) or "").strip():
            add(field, f"请填写“{_label(field)}”（年度工作报告）。")
    for field in MONEY_FIELDS:
        value = getattr(report, field)
        if value is None:
            add(field, f"请填写“{_label(field)}”（财务会计报告，没有的填 0）。")
        elif value < 0:
            add(field, f"“{_label(field)}”不能为负数。")
    figures = {f: getattr(report, f) for f in MONEY_FIELDS}
    if None not in figures.values():
        if figures["year_end_assets"] != figures["liabilities"] + figures["net_assets"]:
            add("net_assets", "“年末净资产合计”应等于年末资产总计减年末负债合计（资产 = 负债 + 净资产），请核对。")
        if figures["donation_income"] + figures["government_grants"] > figures["total_income"]:
            add("total_income", "“本年收入合计”不能小于捐赠收入与政府补助收入之和，请核对。")
    if report.party_members is None:
        add("party_members", "请填写“党员人数”（党建工作报告，没有党员的填 0）。")
    if report.party_organization is None:
        add("party_organization", "请选择是否“已建立党组织”（党建工作报告）。")
    if not (report.party_activities or "").strip():
        add("party_activities", f"请填写“{_label('party_activities')}”（党建工作报告）。")
    if annual.needs_remediation(report.organization, report.year) and not (report.remediation_report or "").strip():
        previous = Conclusion(annual.previous_result(report.organization, report.year)).label
        add("remediation_report", f"上一年度年检结论为“{previous}”，请填写“整改情况报告”。")
    return errors


@transaction.atomic
def submit(report, user) -> AnnualReport:
    require(user, "supervision.annual_fill", report)
    locked = _locked(report)
    _editable(locked)
    errors = problems(locked)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    before = locked.state
    verb = "resubmit" if before == AnnualState.RETURNED else "submit"
    if locked.submitted_at is None:
        locked.submitted_at = now
        locked.due_on = annual.deadline(locked.organization, locked.year)
        locked.late = annual.is_late(locked.organization, locked.year, timezone.localdate(now))
    locked.resubmitted_at = now
    locked.state = AnnualState.SUBMITTED
    locked.save()
    _announce(locked, _event(locked, user, verb, before))
    return locked


# --- the supervising bureau ---------------------------------------------------------------------------
def _reviewable(report) -> None:
    if report.state != AnnualState.SUBMITTED:
        raise ValidationError(f"年度报告当前为“{report.get_state_display()}”，只有已提交的报告可以审查或退回。")


@transaction.atomic
def return_for_correction(report, user, reason: str) -> AnnualReport:
    require(user, "supervision.annual_review", report)
    locked = _locked(report)
    _reviewable(locked)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["退回修改须写明需要修改的内容（理由）。"]})
    before = locked.state
    locked.state = AnnualState.RETURNED
    locked.save()
    _announce(locked, _event(locked, user, "return", before, reason=reason))
    return locked


@transaction.atomic
def review(report, user, result: str, reason: str) -> AnnualReport:
    require(user, "supervision.annual_review", report)
    locked = _locked(report)
    _reviewable(locked)
    reason = (reason or "").strip()
    if result not in Conclusion.values:
        raise ValidationError({"result": ["请选择年检结论：合格、基本合格或不合格。"]})
    if result in (Conclusion.BASIC, Conclusion.FAIL) and not reason:
        raise ValidationError({"reason": [f"结论为“{Conclusion(result).label}”时须写明理由。"]})
    before = locked.state
    locked.state = AnnualState.REVIEWED
    locked.result = result
    locked.reason = reason
    locked.reviewer = user
    locked.reviewed_at = timezone.now()
    locked.save()
    feeds.annual_report_failed(locked, user)  # 不合格 feeds the credit rules, in this transaction
    _announce(locked, _event(locked, user, "review", before, reason=reason, result=result))
    return locked


# --- attachments -------------------------------------------------------------------------------------
def add_attachment(report, user, uploaded_file) -> AnnualReportAttachment:
    require(user, "supervision.annual_fill", report)
    _editable(report, "附件：年度报告")

    def create(**fields) -> AnnualReportAttachment:
        locked = _locked(report)
        _editable(locked, "附件：年度报告")
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(f"附件：最多上传 {MAX_ATTACHMENTS} 个文件（本平台建议），请先删除不需要的文件。")
        return AnnualReportAttachment.objects.create(report=locked, **fields)

    return attachments.store(AnnualReportAttachment, uploaded_file, what="附件", allowed=ATTACHMENT_TYPES,
                             create=create, user=user)


@transaction.atomic
def remove_attachment(report, user, attachment) -> None:
    require(user, "supervision.annual_fill", report)
    locked = _locked(report)
    _editable(locked, "附件：年度报告")
    attachments.discard(attachment)
