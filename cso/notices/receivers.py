"""Who hears of a case's move (``cso.applications.signals.application_moved``, after the move committed).

- the applicant, when the body accepts, asks for 补正 (with the missing items), approves or rejects;
- the officials who may make the next move, when a case arrives in their queue (submitted or resubmitted).
"""

from __future__ import annotations

import logging

from django.urls import reverse

from cso.applications.recipients import officials_for

from .services import notify, notify_all

logger = logging.getLogger(__name__)

APPLICANT_TITLES = {
    "accept": "您的申请已受理",
    "ask_correction": "您的申请需要补正",
    "approve": "您的申请已批准",
    "reject": "您的申请未获批准",
}


def _applicant_body(application, event) -> str:
    what = f"申请 {application.number}（{application.kind_spec.label}）"
    if event.verb == "accept":
        due = f"，审查期限 {application.due_on:%Y-%m-%d}" if application.due_on else ""
        return f"{what}已受理{due}。"
    if event.verb == "ask_correction":
        items = "\n".join(f"{i}. {m}" for i, m in enumerate(event.missing, 1))
        due = f"请于 {application.due_on:%Y-%m-%d} 前" if application.due_on else "请尽快"
        return f"{what}需要补正以下事项，{due}修改后重新提交：\n{items}"
    if event.verb == "approve":
        return f"{what}已批准。" + (f"意见：{event.reason}" if event.reason else "")
    return f"{what}不予批准。理由：{event.reason}"


def application_moved(sender, application, event, **kwargs):
    try:
        _tell(application, event)
    except Exception:  # a notification must never undo or break a committed move
        logger.exception("notifications for %s (%s) failed", application, event.verb)


def _tell(application, event) -> None:
    link = reverse("applications:detail", args=[application.ref])
    if event.verb in APPLICANT_TITLES:
        notify(application.applicant, APPLICANT_TITLES[event.verb], _applicant_body(application, event), link,
               kind=f"applications.{event.verb}", related=application)
    if event.verb in ("submit", "resubmit"):
        again = "补正后重新提交" if event.verb == "resubmit" else "提交"
        name = application.payload.get("name", "")
        due = f"，受理期限 {application.due_on:%Y-%m-%d}" if application.due_on else ""
        notify_all(officials_for(application), f"新的待办申请 {application.number}",
                   f"{application.kind_spec.label}“{name}”已{again}，请及时办理{due}。", link,
                   kind=f"applications.{event.verb}", related=application)


# --- annual reports (cso.supervision.signals) -------------------------------------------------------------
def annual_report_reminder(sender, organization, year, deadline, users, **kwargs):
    """An organization's accounts are reminded that its report for ``year`` is missing before ``deadline``."""
    try:
        notify_all(users, f"请报送{year}年度报告",
                   f"{organization.name}的{year}年度报告（年检年报）尚未报送，报送截止日期为{deadline:%Y-%m-%d}，"
                   "请及时网上填报并提交。",
                   reverse("supervision:annual_mine"), kind="supervision.annual_reminder", related=organization)
    except Exception:
        logger.exception("annual report reminder for %s failed", organization)


ANNUAL_TITLES = {"return": "年度报告被退回修改", "review": "年度报告已审查"}


def annual_report_moved(sender, report, event, **kwargs):
    """The organization's accounts hear of a return (with what to change) and of the conclusion; the reviewing
    bureau's accounts of a report submitted (or resubmitted) to them."""
    if event.verb in ("submit", "resubmit"):
        _annual_report_arrived(report, event)
        return
    if event.verb not in ANNUAL_TITLES:
        return
    try:
        from cso.orgs.models import AccountLink

        users = [link.user for link in AccountLink.objects.filter(organization=report.organization_id)
                 .select_related("user")]
        what = f"{report.organization.name}的{report.year}年度报告"
        if event.verb == "return":
            body = f"{what}被退回修改：{event.reason}。请修改后重新提交。"
        else:
            why = f"理由：{event.reason}" if event.reason else ""
            body = f"{what}年检结论：{report.get_result_display()}。{why}"
        notify_all(users, ANNUAL_TITLES[event.verb], body, reverse("supervision:annual_detail", args=[report.pk]),
                   kind=f"supervision.annual_{event.verb}", related=report)
    except Exception:
        logger.exception("notifications for the annual report %s (%s) failed", report, event.verb)


# --- grade evaluation (cso.supervision.signals) -----------------------------------------------------------
def evaluation_expiring(sender, evaluation, users, **kwargs):
    """An organization's accounts are told that its grade's validity ends soon."""
    try:
        notify_all(users, f"评估等级{evaluation.grade}即将到期",
                   f"{evaluation.organization.name}的评估等级{evaluation.grade}有效期至{evaluation.valid_until:%Y-%m-%d}，"
                   "请及时申请重新评估。", "", kind="supervision.evaluation_expiring", related=evaluation)
    except Exception:
        logger.exception("evaluation expiry reminder for %s failed", evaluation)


def _annual_report_arrived(report, event) -> None:
    try:
        from cso.supervision.recipients import deciders

        again = "修改后重新提交" if event.verb == "resubmit" else "提交"
        notify_all(deciders("supervision.annual_review", report), f"新的待审年度报告：{report.organization.name}",
                   f"{report.organization.name}的{report.year}年度报告（年检年报）已{again}，请及时审查。",
                   reverse("supervision:annual_detail", args=[report.pk]), kind=f"supervision.annual_{event.verb}",
                   related=report)
    except Exception:
        logger.exception("notifications for the annual report %s (%s) failed", report, event.verb)


# --- credit lists (cso.supervision.signals) ---------------------------------------------------------------
def credit_objection_filed(sender, objection, **kwargs):
    """The body deciding the lists hears of an organization's objection to its listing (it answers it)."""
    try:
        from cso.supervision.recipients import deciders

        entry = objection.entry
        org = entry.organization
        notify_all(deciders("supervision.credit_decide", entry), f"信用名录异议：{org.name}",
                   f"{org.name}对列入{entry.get_credit_list_display()}（{entry.entered_on:%Y-%m-%d}）提出异议："
                   f"{objection.text[:200]}。请核实并答复。",
                   reverse("supervision:credit_org", args=[org.uid]), kind="supervision.credit_objection",
                   related=objection)
    except Exception:
        logger.exception("notifications for the objection %s failed", objection.pk)


# --- funding (资金扶持): the applicant hears of the eligibility check and of the decision --------------------------
def funding_submitted(sender, application, **kwargs):
    try:
        link = reverse("funding:application", args=[application.pk])
        notify(application.submitted_by, "资金扶持申报已提交，资格审查通过",
               f"“{application.title}”已申报“{application.programme.title}”，资格审查通过，等待评审。", link,
               kind="funding.submitted", related=application)
    except Exception:
        logger.exception("funding notification for application %s failed", application.pk)


def funding_decided(sender, application, decision, **kwargs):
    try:
        link = reverse("funding:application", args=[application.pk])
        if decision == "awarded":
            title, body = "资金扶持申报已立项", f"“{application.title}”已在“{application.programme.title}”立项。"
        else:
            title, body = "资金扶持申报未立项", f"“{application.title}”未在“{application.programme.title}”立项。"
        notify(application.submitted_by, title, body, link, kind=f"funding.{decision}", related=application)
    except Exception:
        logger.exception("funding notification for application %s failed", application.pk)
