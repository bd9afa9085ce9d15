"""Choices of funding programmes (seeds 000–004; RULES.md "Funding programmes")."""

from django.db import models


class Kind(models.TextChoices):
    PURCHASE = "purchase", "政府购买服务"
    VENTURE = "venture", "公益创投"
    SUBSIDY_STARTUP = "subsidy_startup", "补贴：开办补贴"
    SUBSIDY_OPERATING = "subsidy_operating", "补贴：工作经费补贴"
    SUBSIDY_RENT = "subsidy_rent", "补贴：房租补贴"
    SUBSIDY_EVENT = "subsidy_event", "补贴：大型活动补贴"
    SUBSIDY_STAFF = "subsidy_staff", "补贴：人员补贴"
    AWARD_TALENT = "award_talent", "奖励：人才奖励"
    AWARD_EVALUATION = "award_evaluation", "奖励：评估奖励"
    AWARD_BRAND = "award_brand", "奖励：品牌奖励"
    LOTTERY_ELDERLY = "lottery_elderly", "彩票公益金：扶老"
    LOTTERY_DISABLED = "lottery_disabled", "彩票公益金：助残"
    LOTTERY_ORPHAN = "lottery_orphan", "彩票公益金：救孤"
    LOTTERY_HARDSHIP = "lottery_hardship", "彩票公益金：济困"
    INCUBATION_FUND = "incubation_fund", "孵化培育基金"


class TrackRule(models.TextChoices):
    ANY = "any", "登记和备案的组织均可申报（备案组织通过财务代管）"
    REGISTERED = "registered", "仅限依法登记的组织"
    FILED = "filed", "仅限备案的组织"


class GradeRule(models.TextChoices):
    NONE = "none", "不看评估等级"
    PRIORITY = "priority", "达到等级的优先（加分，不拒绝）"
    REQUIRED = "required", "须达到等级"


GRADES = ("1A", "2A", "3A", "4A", "5A")
GRADE_CHOICES = [("", "—")] + [(g, g) for g in GRADES]


class ProgrammeState(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "已发布（征集中）"
    CLOSED = "closed", "征集结束"
    ARCHIVED = "archived", "已归档"


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", "已申报（资格审查通过）"
    AWARDED = "awarded", "已立项"
    REJECTED = "rejected", "未立项"
    WITHDRAWN = "withdrawn", "已撤回"


class AwardState(models.TextChoices):
    AWARDED = "awarded", "已立项"
    CONTRACTED = "contracted", "已签订协议"
    STOPPED = "stopped", "中期评估未通过，停止拨款"
    COMPLETED = "completed", "已结项"
    FAILED = "failed", "结项评估未通过"
    ARCHIVED = "archived", "已归档"


class Stage(models.TextChoices):
    MID = "mid", "中期评估"
    FINAL = "final", "结项评估"


class QualificationKind(models.TextChoices):
    TAX_EXEMPT = "tax_exempt", "非营利组织免税资格"
    DONATION_RECEIPT = "donation_receipt", "公益事业捐赠票据"
    PRETAX_DEDUCTION = "pretax_deduction", "公益性捐赠税前扣除资格"


class GuidanceKind(models.TextChoices):
    DIRECTORY = "directory", "承接社区服务的社会组织指导目录"
    PROJECT_LIST = "project_list", "购买社区公共服务项目清单"
