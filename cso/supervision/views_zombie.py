"""Pages of zombie detection and clean-up campaigns (清理整治): the candidates of the user's division with each reason,
their export, the campaigns, and the cases a street records outcomes for.

Every page starts from the user's scope (outside: 404) and asks the responsibilities table (else 403)."""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cso.accounts.responsibilities import can, require
from cso.core import csvfiles
from cso.core.scoping import Scope
from cso.core.widgets import SearchSelect

from . import campaigns, zombie
from .models.zombie import Campaign, CampaignCase, CampaignState, CaseReassignment, CaseState, Outcome, ZombieScan

HEADERS = ["组织名称", "统一社会信用代码", "所在区划", "疑似分值", "理由", "扫描日期"]


def _scope(request) -> Scope:
    scope = Scope.for_user(request.user)
    if scope.nothing:
        raise Http404
    return scope


def _validation(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


def _row(score):
    org = score.organization
    reasons = "；".join(f"{r['label']}：{r['text']}（{r['weight']}分）" for r in score.reasons)
    return [org.name, org.credit_code or "", str(org.division), score.score, reasons, score.scanned_on.isoformat()]


def _export(qs, fmt: str):
    rows = (_row(s) for s in qs.iterator(chunk_size=2000))
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = StreamingHttpResponse(csvfiles.lines(HEADERS, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f"attachment; filename=zombie-candidates-{stamp}.csv"
        return response
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("疑似僵尸型组织")
    sheet.write_row(0, 0, HEADERS)
    for n, row in enumerate(rows, 1):
        sheet.write_row(n, 0, [csvfiles.cell(v) for v in row])
    workbook.close()
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=zombie-candidates-{stamp}.xlsx"
    return response


@require_GET
def candidates(request):
    require(request.user, "supervision.zombie_view")
    scope = _scope(request)
    try:
        threshold = int(request.GET.get("min") or zombie.rules_for(scope.prefix)["candidate_threshold"])
    except ValueError:
        threshold = zombie.rules_for(scope.prefix)["candidate_threshold"]
    code = request.GET.get("reason", "")
    qs = zombie.candidates(scope.prefix, threshold)
    if code in zombie.LABELS:
        qs = qs.filter(reasons__contains=[{"code": code}])
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(qs, fmt)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    may_manage = bool(request.user.division_id and can(request.user, "supervision.campaign_manage",
                                                       request.user.division))
    return render(request, "supervision/zombie/candidates.html", {
        "page_obj": page, "threshold": threshold, "reason": code, "labels": zombie.LABELS.items(),
        "scans": ZombieScan.objects.filter(division_prefix=scope.prefix or "")[:3],
        "may_manage": may_manage,
        "open_campaigns": campaigns.open_campaigns(request.user.division_id) if may_manage else [],
    })


@require_POST
def scan(request):
    require(request.user, "supervision.zombie_view")
    scope = _scope(request)
    zombie.start(timezone.localdate(), scope.prefix or "", user=request.user)
    messages.success(request, "已提交扫描，完成后刷新本页即可看到结果。")
    return redirect("supervision:zombie_candidates")


@require_GET
def campaign_list(request):
    require(request.user, "supervision.zombie_view")
    scope = _scope(request)
    qs = Campaign.objects.all()
    if scope.prefix:
        codes_here = CampaignCase.objects.visible_to(request.user).values("campaign")
        qs = qs.filter(Q(pk__in=codes_here) | scope.q("division"))
    return render(request, "supervision/zombie/campaigns.html", {"campaigns": qs.distinct()[:100]})


@require_POST
def campaign_create(request):
    division = request.user.division if request.user.division_id else None
    if division is None or not can(request.user, "supervision.campaign_manage", division):
        raise PermissionDenied("您的账号无权发起清理整治行动。")
    ids = [int(i) for i in request.POST.getlist("organization") if i.isdigit()]
    ticked = request.POST.get("mode", "ticked" if ids else "threshold") == "ticked"
    if ticked and not ids:
        messages.error(request, "请先在名单中勾选要列入清理整治的组织。")
        return redirect("supervision:zombie_candidates")
    try:
        threshold = int(request.POST.get("threshold") or zombie.rules_for(division.pk)["candidate_threshold"])
        started = date.fromisoformat(request.POST.get("started_on") or timezone.localdate().isoformat())
        ends = date.fromisoformat(request.POST["ends_on"]) if request.POST.get("ends_on") else None
    except ValueError:
        messages.error(request, "开始日期、截止日期或分值格式不正确。")
        return redirect("supervision:zombie_candidates")
    try:
        campaign = campaigns.create_campaign(request.user, division, title=request.POST.get("title", ""),
                                             basis=request.POST.get("basis", ""), started_on=started, ends_on=ends,
                                             organization_ids=ids if ticked else None, threshold=threshold)
    except ValidationError as exc:
        _validation(request, exc)
        return redirect("supervision:zombie_candidates")
    messages.success(request, f"已发起清理整治行动“{campaign.title}”，共 {campaign.cases.count()} 个组织。")
    return redirect("supervision:campaign", campaign=campaign.pk)


@require_POST
def campaign_add(request):
    """Add the organizations ticked on the candidates page to an open campaign of the user's body."""
    pk = request.POST.get("campaign", "")
    campaign, _ = _campaign(request, int(pk) if pk.isdigit() else 0)
    require(request.user, "supervision.campaign_manage", campaign)
    ids = [int(i) for i in request.POST.getlist("organization") if i.isdigit()]
    try:
        added = campaigns.add_cases(campaign, request.user, ids)
    except ValidationError as exc:
        _validation(request, exc)
        return redirect("supervision:zombie_candidates")
    skipped = f"（{len(ids) - added} 个已在其中或不在本辖区，未重复加入）" if len(ids) > added else ""
    messages.success(request, f"已将 {added} 个组织加入清理整治行动“{campaign.title}”{skipped}。")
    return redirect("supervision:campaign", campaign=campaign.pk)


def _campaign(request, pk: int) -> tuple[Campaign, object]:
    campaign = get_object_or_404(Campaign, pk=pk)
    scope = _scope(request)
    cases = campaign.cases.visible_to(request.user).select_related("organization", "street")
    if not (scope.contains(campaign.division_id) or cases.exists()):
        raise Http404
    return campaign, cases


@require_GET
def campaign_detail(request, campaign):
    require(request.user, "supervision.zombie_view")
    campaign, cases = _campaign(request, campaign)
    may_reassign = campaign.state == CampaignState.OPEN and can(request.user, "supervision.campaign_reassign",
                                                                campaign)
    rows = list(cases)
    picker = SearchSelect("supervision.streets", user=request.user, placeholder="输入街道（乡镇）名称或代码")
    if may_reassign:  # a search-as-you-type street for each open case (a province has thousands of streets)
        for case in rows:
            if case.state == CaseState.OPEN:
                case.street_picker = picker.render("street", "", {"id": f"street-{case.pk}", "required": True})
    return render(request, "supervision/zombie/campaign.html", {
        "campaign": campaign, "cases": rows, "summary": campaigns.summary(campaign), "outcomes": Outcome.choices,
        "streets": campaigns.by_street(campaign, cases),
        "may_manage": can(request.user, "supervision.campaign_manage", campaign),
        "may_reassign": may_reassign, "picker_media": picker.media if may_reassign else None,
        "reassignments": CaseReassignment.objects.filter(case__in=cases.values("pk"))
                         .select_related("case__organization", "from_street", "to_street", "by").order_by("-at", "-id"),
    })


def _case(request, pk: int) -> CampaignCase:
    return get_object_or_404(CampaignCase.objects.visible_to(request.user).select_related("campaign", "organization"),
                             pk=pk)


@require_POST
def case_record(request, campaign_case):
    case = _case(request, campaign_case)
    require(request.user, "supervision.campaign_record", case)
    try:
        on = date.fromisoformat(request.POST.get("outcome_on") or timezone.localdate().isoformat())
    except ValueError:
        messages.error(request, "处理日期格式不正确。")
        return redirect("supervision:campaign", campaign=case.campaign_id)
    try:
        case = campaigns.record_outcome(case, request.user, request.POST.get("outcome", ""), on,
                                        request.POST.get("note", ""))
    except ValidationError as exc:
        _validation(request, exc)
    else:
        messages.success(request, f"已记录“{case.organization.name}”的处理结果：{case.get_outcome_display()}"
                                  f"（{case.get_state_display()}）。")
    return redirect("supervision:campaign", campaign=case.campaign_id)


@require_POST
def case_confirm(request, campaign_case):
    case = _case(request, campaign_case)
    require(request.user, "supervision.campaign_manage", case.campaign)
    try:
        campaigns.confirm(case, request.user)
    except ValidationError as exc:
        _validation(request, exc)
    else:
        messages.success(request, f"已确认“{case.organization.name}”的处理结果。")
    return redirect("supervision:campaign", campaign=case.campaign_id)


@require_POST
def case_reassign(request, campaign_case):
    """The body that launched the campaign moves a case to another street of the campaign's area, with a reason."""
    case = _case(request, campaign_case)
    require(request.user, "supervision.campaign_reassign", case.campaign)
    old = case.street
    try:
        move = campaigns.reassign(case, request.user, request.POST.get("street", ""), request.POST.get("reason", ""))
    except ValidationError as exc:
        _validation(request, exc)
    else:
        messages.success(request,
                         f"已将“{case.organization.name}”从“{old or '民政部门'}”改派到“{move.to_street}”承办。")
    return redirect("supervision:campaign", campaign=case.campaign_id)


@require_POST
def campaign_close(request, campaign):
    campaign = get_object_or_404(Campaign, pk=campaign)
    require(request.user, "supervision.campaign_manage", campaign)
    campaigns.close(campaign, request.user)
    messages.success(request, f"清理整治行动“{campaign.title}”已结束。")
    return redirect("supervision:campaign", campaign=campaign.pk)
