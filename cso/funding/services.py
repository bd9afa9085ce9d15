"""Moves of a funding programme. Each runs in one transaction and records who, when and why (``Decision``).

The budget is never over-committed: ``award`` locks the programme row (SELECT … FOR UPDATE) and re-sums the
committed awards before adding one; ``disburse`` locks the award row and never pays more than it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.dispatch import Signal
from django.utils import timezone

from cso.core import attachments, privatefiles
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import Organization
from cso.support.choices import PlaceKind
from cso.support.models import Place

from . import rules
from .choices import ApplicationState, AwardState, Kind, ProgrammeState, Stage
from .models import (
    Application,
    Attachment,
    Award,
    BudgetLine,
    Conflict,
    Contract,
    Decision,
    Disbursement,
    Programme,
    ProjectEvaluation,
    Score,
)

ATTACHMENT_TYPES = ("pdf", "jpeg", "png", "docx", "xlsx")

# Sent after commit: notices (above this app) listen; this app imports nothing of it.
application_submitted = Signal()  # sender=Application, application=
application_decided = Signal()  # sender=Application, application=, decision= ("awarded" / "rejected")


class Ineligible(ValidationError):
    def __init__(self, reasons):
        self.reasons = reasons
        super().__init__([r.text for r in reasons if r.blocking])


def _decide(application, action, user, reason="", amount=None):
    return Decision.objects.create(application=application, action=action, by=user, reason=reason, amount=amount)


# --- the call --------------------------------------------------------------------------------------
def publish(programme: Programme, user) -> None:
    if programme.state != ProgrammeState.DRAFT:
        raise ValidationError("只有草稿可以发布。")
    programme.state = ProgrammeState.OPEN
    programme.published_at = timezone.now()
    programme.save(update_fields=["state", "published_at"])


def close(programme: Programme, user) -> None:
    if programme.state != ProgrammeState.OPEN:
        raise ValidationError("只有征集中的项目可以结束征集。")
    programme.state = ProgrammeState.CLOSED
    programme.save(update_fields=["state"])


def committed(programme: Programme) -> Decimal:
    return Award.objects.filter(programme=programme).aggregate(s=Sum("amount"))["s"] or Decimal("0")


# --- applying --------------------------------------------------------------------------------------
@transaction.atomic
def apply(programme: Programme, org, user, *, title: str, plan: str, requested: Decimal,
          lines: list[tuple[str, Decimal]], files: list = (), on: date | None = None) -> Application:
    """Check eligibility (raises ``Ineligible`` with every reason) and file the application."""
    on = on or timezone.localdate()
    reasons, facts = rules.eligibility(programme, org, on)
    if Application.objects.filter(programme=programme, organization=org).exists():
        reasons.append(rules.Reason("duplicate", "本组织已申报过本项目。", True))
    if programme.max_award and requested > programme.max_award:
        reasons.append(rules.Reason("too_much", f"申请金额超过单个项目资助上限{programme.max_award}元。", True))
    if not rules.is_eligible(reasons):
        raise Ineligible(reasons)
    if lines and sum(a for _, a in lines) != requested:
        raise ValidationError("预算明细合计应等于申请金额。")
    application = Application.objects.create(
        programme=programme, organization=org, title=title, plan=plan, requested=requested,
        eligibility=[{"code": r.code, "text": r.text, "blocking": r.blocking} for r in reasons],
        priority=any(r.code == "priority" for r in reasons), grade=facts.grade, submitted_by=user)
    BudgetLine.objects.bulk_create([BudgetLine(application=application, item=i, amount=a) for i, a in lines])
    _attach(application, files, user)
    _decide(application, "submitted", user, "资格审查通过：" + ("；".join(r.text for r in reasons) or "符合全部条件"))
    transaction.on_commit(lambda: application_submitted.send(Application, application=application))
    return application


def _attach(application: Application, files, user) -> None:
    """Store the application's files (``cso.core.attachments``: size, type by content). A refused file refuses the
    whole application (the caller's transaction rolls back) and the files already written are removed again."""
    stored: list[Attachment] = []
    try:
        for f in files:
            stored.append(attachments.store(
                Attachment, f, what=f"附件“{f.name}”", allowed=ATTACHMENT_TYPES, user=user,
                create=lambda **fields: Attachment.objects.create(application=application, **fields)))
    except BaseException as exc:
        for row in stored:
            privatefiles.delete(Attachment.AREA, row.stored_name)
        if isinstance(exc, ValidationError):
            raise ValidationError({"files": exc.messages}) from exc
        raise


# --- review ----------------------------------------------------------------------------------------
def add_reviewer(programme: Programme, reviewer, user) -> None:
    if getattr(reviewer, "role", None) in ("organization", "operator"):
        raise ValidationError("评审人员须为工作人员账号。")
    programme.reviewers.add(reviewer)


def declare_conflict(application: Application, reviewer, reason: str) -> Conflict:
    if not reason.strip():
        raise ValidationError("请写明回避理由。")
    conflict, _ = Conflict.objects.get_or_create(application=application, reviewer=reviewer,
                                                 defaults={"reason": reason})
    Score.objects.filter(application=application, reviewer=reviewer).delete()
    _decide(application, "conflict", reviewer, reason)
    return conflict


def score(application: Application, reviewer, points: Decimal, comment: str = "") -> Score:
    if not application.programme.reviewers.filter(pk=reviewer.pk).exists():
        raise ValidationError("您不是本项目的评审人员。")
    if Conflict.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError("您已申报回避，不能为该申报评分。")
    if application.state != ApplicationState.SUBMITTED:
        raise ValidationError("该申报已作出决定，不能再评分。")
    if not (Decimal(0) <= points <= Decimal(100)):
        raise ValidationError("评分应在0到100之间。")
    s, _ = Score.objects.update_or_create(application=application, reviewer=reviewer,
                                          defaults={"points": points, "comment": comment})
    _decide(application, "scored", reviewer, comment or f"评分{points}")
    return s


def ranking(programme: Programme, applications) -> list[Application]:
    """The applications in ranking order: average score plus the priority bonus (RULES.md: 3A and above have
    priority for purchased services; the points are 本平台建议, a province setting), unscored ones last. Each gets
    ``bonus`` (0 without priority), ``ranking_score`` and ``rank`` (1, 2, …; None unscored)."""
    bonus = rules.priority_bonus(programme)
    rows = list(applications)
    for app in rows:
        app.bonus = bonus if app.priority else Decimal(0)
        app.ranking_score = rules.ranking_score(app.average_score, app.priority, bonus)
    rows.sort(key=lambda a: (a.ranking_score is None, -(a.ranking_score or 0), a.pk))
    for n, app in enumerate(rows, 1):
        app.rank = n if app.ranking_score is not None else None
    return rows


# --- decisions -------------------------------------------------------------------------------------
def award(application: Application, amount: Decimal, user, reason: str, on: date | None = None) -> Award:
    """立项: commits ``amount`` of the programme's budget, never beyond it (row lock, then re-sum)."""
    if not reason.strip():
        raise ValidationError("请写明立项理由。")
    if amount <= 0:
        raise ValidationError("立项金额应大于0。")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=application.programme_id)
        app = Application.objects.select_for_update().select_related("organization__division").get(pk=application.pk)
        if app.state != ApplicationState.SUBMITTED:
            raise ValidationError("该申报已作出决定。")
        if not app.scores.exists():
            raise ValidationError("尚无评审评分，不能立项。")
        if programme.max_award and amount > programme.max_award:
            raise ValidationError(f"立项金额超过单个项目资助上限{programme.max_award}元。")
        used = committed(programme)
        if used + amount > programme.budget:
            left = programme.budget - used
            raise ValidationError(
                f"预算不足：预算{programme.budget}元，已立项{used}元，剩余{left}元，不能立项{amount}元。")
        org = app.organization
        reading = rules.rules_for(org.division_id)["rural_reading"]
        result = Award.objects.create(
            application=app, programme=programme, organization=org, division_id=programme.division_id,
            org_division_id=org.division_id, kind=programme.kind, year=programme.year, amount=amount,
            rural=bool(rules.is_rural(org.division, reading)),
            charity=org.categories.filter(code="charity").exists(),
            gov_function=programme.kind == Kind.PURCHASE,
            awarded_on=on or timezone.localdate(), awarded_by=user, reason=reason)
        app.state = ApplicationState.AWARDED
        app.save(update_fields=["state"])
        _decide(app, "awarded", user, reason, amount)
        transaction.on_commit(lambda: application_decided.send(Application, application=app, decision="awarded"))
    return result


@transaction.atomic
def reject(application: Application, user, reason: str) -> None:
    if not reason.strip():
        raise ValidationError("请写明不予立项的理由。")
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.state != ApplicationState.SUBMITTED:
        raise ValidationError("该申报已作出决定。")
    app.state = ApplicationState.REJECTED
    app.save(update_fields=["state"])
    _decide(app, "rejected", user, reason)
    transaction.on_commit(lambda: application_decided.send(Application, application=app, decision="rejected"))


# --- contract, instalments, evaluation, archive ---------------------------------------------------
NO_CENTRE = ("该组织所在的街道（乡镇）尚未录入社会组织服务中心，无法财务代管。请先在“培育扶持 → 培育载体”中录入该街道的"
             "社会组织服务中心（类型选“社会组织服务中心”），并填写其运营方（依法登记的组织），再记录协议。")


def street_of(division_code: str | None) -> str:
    """The 街道（乡镇） a division lies in: the first 9 digits of its code."""
    return (division_code or "")[:9]


def eligible_custodians(org):
    """The organizations that may hold a filed group's money (财务代管, seed 002): the operators of the open
    social-organization service centres (``support.Place`` of kind ``centre``, not closed) of the group's street,
    registered and live."""
    street = street_of(org.division_id)
    if len(street) < 9:
        return Organization.objects.none()
    operators = Place.objects.filter(Place.open_q(), kind=PlaceKind.CENTRE, division__code__startswith=street,
                                     operator__isnull=False).values("operator_id")
    return Organization.objects.filter(pk__in=operators, track=Track.REGISTERED,
                                       status__in=LIVE_STATUSES).order_by("name", "pk")


def custodian_problems(org, custodian) -> list[str]:
    """A filed group cannot sign: the contract names a custodian — the operator of a social-organization service
    centre recorded as a support place in the group's street, registered and live (seed 002: 财务代管)."""
    problems = []
    if org.track == Track.REGISTERED:
        if custodian is not None:
            problems.append("依法登记的组织自行签约，不需要财务代管单位。")
        return problems
    eligible = eligible_custodians(org)
    if custodian is None:
        if not eligible.exists():
            return [NO_CENTRE]
        return ["备案的组织不能签约，须由所在街道（乡镇）的社会组织服务中心财务代管（种子文件002），"
                "请选择财务代管单位。"]
    if custodian.track != Track.REGISTERED or custodian.status not in LIVE_STATUSES:
        problems.append("财务代管单位须为存续的依法登记的组织。")
    if not eligible.filter(pk=custodian.pk).exists():
        if is_service_centre_anywhere(custodian):
            problems.append("财务代管单位须为该组织所在的街道（乡镇）的社会组织服务中心的运营方。")
        else:
            problems.append("财务代管单位须为该组织所在的街道（乡镇）的社会组织服务中心（已录入为培育载体）的运营方。"
                            + ("" if eligible.exists() else NO_CENTRE))
    return problems


def is_service_centre_anywhere(org) -> bool:
    """Whether the organization operates a social-organization service centre recorded as a support place."""
    return Place.objects.filter(kind=PlaceKind.CENTRE, operator=org).exists()


@transaction.atomic
def sign(award_obj: Award, user, *, number: str, signed_on: date, instalments: int, custodian=None) -> Contract:
    award_obj = Award.objects.select_for_update().select_related("organization").get(pk=award_obj.pk)
    if award_obj.state != AwardState.AWARDED or hasattr(award_obj, "contract"):
        raise ValidationError("该立项已签订协议。")
    problems = custodian_problems(award_obj.organization, custodian)
    if problems:
        raise ValidationError(problems)
    contract = Contract.objects.create(award=award_obj, number=number, signed_on=signed_on, instalments=instalments,
                                       custodian=custodian, recorded_by=user)
    award_obj.state = AwardState.CONTRACTED
    award_obj.save(update_fields=["state"])
    who = f"，由{custodian.name}财务代管" if custodian else ""
    _decide(award_obj.application, "contracted", user, f"协议{number}，{signed_on:%Y-%m-%d}签订{who}")
    return contract


def disburse(award_obj: Award, user, *, amount: Decimal, paid_on: date, note: str = "") -> Disbursement:
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award_obj.pk)
        if locked.state != AwardState.CONTRACTED:
            raise ValidationError("只有已签订协议、未停止拨款的项目可以拨款"
                                  + ("（中期评估未通过，停止拨款）。" if locked.state == AwardState.STOPPED else "。"))
        if amount <= 0:
            raise ValidationError("拨付金额应大于0。")
        paid = locked.disbursements.aggregate(s=Sum("amount"))["s"] or Decimal("0")
        if paid + amount > locked.amount:
            raise ValidationError(f"拨付后累计{paid + amount}元，超过立项金额{locked.amount}元。")
        n = locked.disbursements.count() + 1
        if n > locked.contract.instalments:
            raise ValidationError(f"协议约定分{locked.contract.instalments}期拨付，已拨付完毕。")
        row = Disbursement.objects.create(award=locked, number=n, amount=amount, paid_on=paid_on, note=note,
                                          recorded_by=user)
        locked.paid = paid + amount
        locked.save(update_fields=["paid"])
        _decide(locked.application, "disbursed", user, note or f"第{n}期拨款", amount)
    return row


@transaction.atomic
def evaluate(award_obj: Award, user, *, stage: str, passed: bool, evaluated_on: date, findings: str,
             beneficiaries: int = 0, activities: int = 0, volunteer_hours: int = 0) -> ProjectEvaluation:
    locked = Award.objects.select_for_update().get(pk=award_obj.pk)
    if locked.state not in (AwardState.CONTRACTED, AwardState.STOPPED):
        raise ValidationError("只有已签订协议的项目可以评估。")
    if stage == Stage.FINAL and not locked.evaluations.filter(stage=Stage.MID).exists():
        raise ValidationError("请先记录中期评估。")
    if locked.evaluations.filter(stage=stage).exists():
        raise ValidationError("该阶段已评估。")
    if not findings.strip():
        raise ValidationError("请写明评估意见。")
    ev = ProjectEvaluation.objects.create(award=locked, stage=stage, passed=passed, evaluated_on=evaluated_on,
                                          findings=findings, beneficiaries=beneficiaries, activities=activities,
                                          volunteer_hours=volunteer_hours, recorded_by=user)
    if stage == Stage.MID and not passed:
        locked.state = AwardState.STOPPED  # RULES.md: a failed mid-term evaluation stops later instalments
    elif stage == Stage.FINAL:
        locked.state = AwardState.COMPLETED if passed else AwardState.FAILED
    locked.save(update_fields=["state"])
    _decide(locked.application, f"evaluated_{stage}", user, f"{'通过' if passed else '未通过'}：{findings}")
    return ev


@transaction.atomic
def archive(award_obj: Award, user, reason: str = "") -> None:
    locked = Award.objects.select_for_update().get(pk=award_obj.pk)
    if locked.state not in (AwardState.COMPLETED, AwardState.FAILED, AwardState.STOPPED):
        raise ValidationError("只有结项（或停止拨款）的项目可以归档。")
    locked.state = AwardState.ARCHIVED
    locked.save(update_fields=["state"])
    _decide(locked.application, "archived", user, reason or "归档")
