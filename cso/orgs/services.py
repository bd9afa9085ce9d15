"""Domain operations on the registry, testable without HTTP. Every operation is one transaction,
checks the acting user's scope, validates with Chinese messages, records who did it, and keeps
the span table (``OrgStateSpan``) true for every past date.

Span rule: a change to one of the span facts effective on day D closes the span holding D at D
and opens a new one from D (a change on a span's first day replaces its facts instead). The new
value then holds in every later span, up to the present: a backdated change that would cross a
later change of the same fact is refused (correct the later record first), so the current record
and the open span always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q

from cso.accounts import responsibilities
from cso.accounts.responsibilities import Facts, Prospect, require
from cso.core.scoping import Scope
from cso.regions import codes
from cso.regions.models import Authority, Division

from . import validators
from .choices import (
    FINAL_STATUSES,
    LIVE_STATUSES,
    TRANSITIONS,
    OrgType,
    Status,
    Tier,
    Track,
)
from .models import (
    AccountLink,
    Category,
    HubMembership,
    Leader,
    Organization,
    OrgStateSpan,
    RegistryDecision,
    ServiceTarget,
    StatusChange,
    federation_min_members,
    filing_authority_level,
)

# Fields changed only through their own service.
PROTECTED_FIELDS = {"id", "pk", "uid", "status", "track", "created_by", "created_at", "updated_at"}
M2M_FIELDS = {"categories": Category, "service_targets": ServiceTarget}
FACT_LABELS = {
    "status": "状态", "division_id": "所在区划", "track": "管理方式", "org_type": "组织类型", "tier": "管理层级",
    "is_community_org": "是否社区社会组织", "party_building": "党建情况", "is_incubated": "孵化情况",
    "is_hub": "枢纽型组织", "categories_mask": "类别", "targets_mask": "服务对象",
}


# --- permission: the responsibilities table (cso.accounts.responsibilities) decides ---------------
# The action a new status is decided by.
STATUS_ACTIONS = {
    Status.ACTIVE: "orgs.set_status",
    Status.ABNORMAL: "orgs.set_status",
    Status.SUSPENDED: "orgs.set_status",
    Status.DEREGISTERED: "orgs.deregister",
    Status.REVOKED: "orgs.revoke",
    Status.CLEARED: "orgs.clear",
}


def _require_in_scope(user, division_code: str | None) -> None:
    if user is None or not Scope.for_user(user).contains(division_code):
        raise PermissionDenied("该区划不在您的管辖范围内。")


def _require(user, action: str, org: Organization) -> None:
    """The account may do ``action`` to ``org`` (which lies in its subtree), or PermissionDenied."""
    _require_in_scope(user, org.division_id)
    require(user, action, org)


def decided_q(user, action: str) -> Q:
    """The organizations this account may do ``action`` to, as a filter: the table's rows for its role and level
    (for exports and lists that cannot ask row by row)."""
    from .models import linked_q

    if user.is_superuser:
        return Q()
    tracks = {
        responsibilities.REGISTERED: Q(track=Track.REGISTERED),
        responsibilities.FILED: Q(track=Track.FILED) & ~Q(tier=Tier.COMMUNITY),
        responsibilities.COMMUNITY_GROUP: Q(track=Track.FILED, tier=Tier.COMMUNITY),
    }
    out = Q(pk__in=[])
    own = user.division_id
    for duty in responsibilities.duties_for(user, action):
        if duty.reach == responsibilities.SUBTREE:
            where = Scope.for_user(user).q("division_id")
        elif duty.reach == responsibilities.OWN_DIVISION:
            where = Q(division_id=own)
        elif duty.reach == responsibilities.REGISTERED_HERE:
            where = Q(registration_authority_division_id=own)
        elif duty.reach == responsibilities.LINKED:
            where = linked_q(user)
        else:  # CHILDREN: not used by the registry's rows
            continue
        out |= where & tracks.get(duty.track, Q())
    return out


def creation_action(track: str) -> str:
    return "orgs.register" if track == Track.REGISTERED else "orgs.file"


def allowed_statuses(user, org: Organization) -> list[Status]:
    """The statuses this account may move the organization to (its status form offers only these)."""
    current = Status(org.status)
    return [s for s in Status if s in TRANSITIONS[current] and responsibilities.can(user, STATUS_ACTIONS[s], org)
            and not (s == Status.REVOKED and org.track != Track.REGISTERED)]


def _decide(org: Organization, kind: str, summary: str, user, reason: str = "", day: date | None = None) -> None:
    """Record a registry decision for the audit log of every division above the organization."""
    RegistryDecision.objects.create(
        organization=org, kind=kind, summary=summary[:300], reason=reason or "", effective_date=day,
        division_id=org.division_id, authority_division_id=org.registration_authority_division_id,
        recorded_by=user if getattr(user, "pk", None) else None,
    )


# --- helpers ---------------------------------------------------------------------------------
def _resolve_terms(model, values: Iterable) -> list:
    """Category / ServiceTarget objects from objects, primary keys, codes or names."""
    values = list(values or [])
    objs = [v for v in values if isinstance(v, model)]
    keys = [v for v in values if not isinstance(v, model)]
    if keys:
        ints = [k for k in keys if isinstance(k, int)]
        texts = [str(k) for k in keys if not isinstance(k, int)]
        found = list(model.objects.filter(Q(pk__in=ints) | Q(code__in=texts) | Q(name__in=texts)))
        known = {o.pk for o in found} | {o.code for o in found} | {o.name for o in found}
        missing = [str(k) for k in keys if k not in known and str(k) not in known]
        if missing:
            raise ValidationError(
                {_m2m_field_of(model): f"未知的{model._meta.verbose_name}：{'、'.join(missing)}。"}
            )
        objs.extend(found)
    return list({o.pk: o for o in objs}.values())


def _m2m_field_of(model) -> str:
    return "categories" if model is Category else "service_targets"


def _division(value) -> Division | None:
    if value is None or isinstance(value, Division):
        return value
    try:
        return Division.objects.get(pk=codes.pad_code(str(value)))
    except (Division.DoesNotExist, codes.CodeError) as exc:
        raise ValidationError({"division": f"区划代码“{value}”不存在。"}) from exc


def _authority(value, hint: Division | None = None) -> Authority | None:
    """A registering body from an Authority, its primary key, or its name (looked up among the
    bodies of ``hint``, the authority division, when given; else a name must be unique)."""
    if value in (None, "") or isinstance(value, Authority):
        return value or None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        found = Authority.objects.filter(pk=int(value)).first()
    else:
        name = str(value).strip()
        qs = Authority.objects.filter(name=name)
        if hint is not None:
            qs = qs.filter(division=hint)
        found = qs.first() if qs.count() == 1 else None
    if found is None:
        raise ValidationError(
            {"registration_authority": f"登记管理机关“{value}”不在登记管理机关名录中，请从名录中选择。"})
    return found


def _ancestor(division: Division, level: int) -> Division | None:
    if division.level == level:
        return division
    return next((d for d in division.ancestors() if d.level == level), None)


def _check_effective_date(org: Organization, day: date) -> None:
    if day > date.today():
        raise ValidationError({"effective_date": "生效日期不能晚于今天。"})
    start = org.started_on
    if start and day < start:
        raise ValidationError({"effective_date": f"生效日期不能早于该组织的登记（备案）日期{start}。"})


def _check_federation(org: Organization, pending_members: int = 0) -> None:
    """Registering a 街道（乡镇）社区社会组织联合会 needs the province's member minimum (seed 001: 广西 30),
    counted from the hub's membership records."""
    if org.track != Track.REGISTERED or not org.is_street_federation:
        return
    needed = federation_min_members(org.division_id)
    if not needed:
        return
    from .hubs import member_count_for_check

    recorded, counted = member_count_for_check(org)
    have = pending_members + recorded
    if have < needed:
        raise ValidationError(
            {"name": f"街道（乡镇）社区社会组织联合会须有不少于{needed}个会员组织（本省登记规则），“{org.name}”"
                     f"目前只有{have}个（按{counted}计）；请先在其“会员组织”页记录会员，或邀请会员组织入会。"}
        )


def _loaded_relations(obj) -> list[str]:
    """The foreign keys of ``obj`` set to a row read from the database (the division, the body, the acting
    account): ``full_clean`` would check that each exists with one SELECT that only repeats that read (the
    deferred foreign-key constraints still check them at commit)."""
    out = []
    for field in obj._meta.concrete_fields:
        # a key limited to some rows (``limit_choices_to``) keeps its check: that is more than existence
        if field.is_relation and not field.remote_field.limit_choices_to and field.is_cached(obj):
            related = field.get_cached_value(obj)
            if related is not None and not related._state.adding and related.pk == getattr(obj, field.attname):
                out.append(field.name)
    return out


def _save(org: Organization, user, reason: str = "", exclude: list[str] | None = None) -> None:
    """Validate and save, recording the user and reason in the field history. ``exclude``: fields whose checks
    the caller has made (a new organization: its loaded relations and its freshly drawn ``uid``)."""
    org.full_clean(exclude=exclude, validate_constraints=False)
    org._history_user = user
    if reason:
        org._change_reason = reason
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError as exc:
        # A concurrent insert passed clean() at the same time: the database's constraint wins.
        raise ValidationError("已有同一统一社会信用代码，或同一登记管理机关下同名的存续组织。") from exc


def _locked(org: Organization) -> Organization:
    return Organization.objects.select_for_update().select_related("division").get(pk=org.pk)


# --- span table ------------------------------------------------------------------------------
def first_span(org: Organization, masks: tuple[int, int] | None = None) -> OrgStateSpan:
    """The unsaved first span of a new organization — for bulk loaders (demo generator, import)
    that create organizations with ``bulk_create`` and must keep the span table complete.
    ``masks``: its categories' and service targets' bitmasks, when known (else read)."""
    return OrgStateSpan(organization=org, valid_from=org.started_on or date.today(), valid_to=None,
                        **org.span_facts(masks))


def _open_first_span(org: Organization, masks: tuple[int, int] | None = None) -> OrgStateSpan:
    span = first_span(org, masks)
    span.save()
    return span


def _span_at(spans: list[OrgStateSpan], day: date) -> int | None:
    for i, span in enumerate(spans):
        if span.valid_from <= day and (span.valid_to is None or day < span.valid_to):
            return i
    return None


def _apply_facts(org: Organization, day: date, new_facts: dict) -> None:
    """From ``day`` on, ``new_facts`` hold. Splits the span holding ``day`` (same day: replaces)."""
    spans = list(OrgStateSpan.objects.select_for_update().filter(organization=org).order_by("valid_from"))
    if not spans:
        _open_first_span(org)
        return
    if day < spans[0].valid_from:
        # A change before the first span (e.g. an earlier registration date): extend it back.
        first = spans[0]
        first.valid_from = day
        first.save(update_fields=["valid_from"])
        spans[0] = first
    i = _span_at(spans, day)
    current = spans[i]
    old = {k: getattr(current, k) for k in new_facts}
    changed = {k: v for k, v in new_facts.items() if old[k] != v}
    if not changed:
        return
    for later in spans[i + 1:]:
        for key in changed:
            if getattr(later, key) != old[key]:
                raise ValidationError(
                    {"effective_date": f"“{FACT_LABELS.get(key, key)}”在{later.valid_from}还有一次变更，"
                                       f"不能把更早生效的变更插到它前面；请先更正后一次变更。"}
                )
    if day > current.valid_from:
        tail = OrgStateSpan(organization=org, valid_from=day, valid_to=current.valid_to, **current.facts())
        current.valid_to = day
        current.save(update_fields=["valid_to"])
        tail.save()
        affected = [tail, *spans[i + 1:]]
    else:
        affected = spans[i:]
    for span in affected:
        for key, value in changed.items():
            setattr(span, key, value)
        span.save()
    _coalesce(org)


def _coalesce(org: Organization) -> None:
    """Merge neighbouring spans whose facts are equal (e.g. a change reverted on the same day)."""
    spans = list(OrgStateSpan.objects.filter(organization=org).order_by("valid_from"))
    prev = None
    for span in spans:
        if prev is not None and prev.valid_to == span.valid_from and prev.facts() == span.facts():
            new_end = span.valid_to
            span.delete()
            prev.valid_to = new_end
            prev.save(update_fields=["valid_to"])
            continue
        prev = span


def _sync_spans(org: Organization, day: date, before: dict) -> None:
    """Carry the facts that changed on the record (compared with ``before``) into the spans."""
    after = org.span_facts()
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        _apply_facts(org, day, changed)


def _move_start(org: Organization, new_start: date | None) -> None:
    """The registration/filing date was corrected: move the first span's start."""
    if new_start is None:
        return
    first = OrgStateSpan.objects.filter(organization=org).order_by("valid_from").first()
    if first is None or first.valid_from == new_start:
        return
    if first.valid_to is not None and new_start >= first.valid_to:
        raise ValidationError(
            {"registered_on": f"登记（备案）日期不能晚于该组织的第一次变更（{first.valid_to}）。"}
        )
    if StatusChange.objects.filter(organization=org, effective_date__lt=new_start).exclude(from_status="").exists():
        raise ValidationError({"registered_on": "登记（备案）日期不能晚于该组织已有的状态变更。"})
    first.valid_from = new_start
    first.save(update_fields=["valid_from"])
    StatusChange.objects.filter(organization=org, from_status="").update(effective_date=new_start)


# --- as of a date ----------------------------------------------------------------------------
def state_as_of(day: date, user=None):
    """One span per organization that existed on ``day`` — a queryset to filter and group.

    With ``user``, limited to the user's subtree by the one scoping mechanism. Example — active
    organizations per county on ``day``::

        state_as_of(day).filter(status="active").annotate(county=Substr("division_id", 1, 6))
            .values("county").annotate(n=Count("id"))
    """
    qs = OrgStateSpan.objects.all()
    if user is not None:
        qs = qs.visible_to(user)
    return qs.as_of(day)


def org_state_as_of(org: Organization, day: date) -> OrgStateSpan | None:
    """The organization's facts on ``day``, or None if it had not started yet."""
    return OrgStateSpan.objects.filter(organization=org).as_of(day).first()


# --- operations ------------------------------------------------------------------------------
def _default_is_community_org(org: Organization) -> bool:
    if org.track == Track.FILED:
        return True
    if org.org_type == OrgType.FOUNDATION:
        return False
    authority = org.registration_authority_division
    return authority is not None and authority.level >= codes.COUNTY


@transaction.atomic
def create_organization(data: dict, user) -> Organization:
    """Register or file a new organization.

    ``data`` holds model field values plus ``categories`` and ``service_targets`` (objects, ids,
    codes or names), ``leaders`` (list of dicts of Leader fields) and, for a federation,
    ``members`` (organizations joining it, effective from its registration date).
    """
    data = dict(data)
    categories = _resolve_terms(Category, data.pop("categories", []))
    targets = _resolve_terms(ServiceTarget, data.pop("service_targets", []))
    leaders = data.pop("leaders", [])
    members = list(data.pop("members", []))
    # a federation registered on an application: the members it declared (their records may come later)
    declared_members = int(data.pop("declared_members", 0) or 0)
    reason = data.pop("reason", "")
    for key in ("uid", "id", "pk", "created_by", "created_at", "updated_at"):
        data.pop(key, None)
    status = data.pop("status", Status.ACTIVE)
    if status != Status.ACTIVE:
        raise ValidationError({"status": "新登记（备案）的组织状态应为“正常”；其他状态请在登记后办理状态变更。"})
    division = _division(data.pop("division", None) or data.pop("division_id", None))
    if division is None:
        raise ValidationError({"division": "请选择组织所在的社区（区划）。"})
    authority_division = _division(data.pop("registration_authority_division", None)
                                   or data.pop("registration_authority_division_id", None))
    authority = _authority(data.pop("registration_authority", None)
                           or data.pop("registration_authority_id", None), authority_division)
    _require_in_scope(user, division.code)

    org = Organization(division=division, registration_authority=authority,
                       registration_authority_division=authority_division, created_by=user, **data)
    if authority is not None and org.track == Track.REGISTERED:
        org.registration_authority_division_id = authority.division_id
    if not org.tier:
        org.tier = Tier.REGISTERED if org.track == Track.REGISTERED else Tier.COMMUNITY
    if org.track == Track.FILED and org.registration_authority_division is None:
        org.registration_authority_division = filing_body(division)
    require(user, creation_action(org.track), org)
    if "is_community_org" not in data:
        org.is_community_org = _default_is_community_org(org)
    if org.is_street_federation:
        _check_federation(org, pending_members=max(declared_members,
                                                   len({m.pk for m in members if m.status in LIVE_STATUSES})))
    # the uid was just drawn (its uniqueness is the database's); the relations were just read
    _save(org, user, reason or ("登记成立" if org.track == Track.REGISTERED else "备案"),
          exclude=["uid", *_loaded_relations(org)])
    if categories:
        org.categories.set(categories)
    if targets:
        org.service_targets.set(targets)
    for i, leader_data in enumerate(leaders):
        _save_leader(org, {"order": i, **leader_data}, user)
    start = org.started_on
    for member in members:
        _add_member(org, member, start)
    StatusChange.objects.create(
        organization=org, from_status="", to_status=Status.ACTIVE, effective_date=start,
        reason=reason or ("登记成立" if org.track == Track.REGISTERED else "备案"), recorded_by=user,
    )
    _open_first_span(org, masks=(sum(1 << b for b in {c.bit for c in categories}),
                                 sum(1 << b for b in {t.bit for t in targets})))
    if org.track == Track.REGISTERED:
        _decide(org, RegistryDecision.Kind.REGISTER, f"登记成立“{org.name}”（{org.get_org_type_display()}）", user,
                reason, start)
    else:
        _decide(org, RegistryDecision.Kind.FILE, f"备案“{org.name}”（{org.get_tier_display()}）", user, reason, start)
    return org


def filing_body(division: Division) -> Division | None:
    """The division whose body files groups placed at ``division`` (the province's setting)."""
    return _ancestor(division, filing_authority_level(division))


def prospect(*, division: str | None, track: str, tier: str | None = None,
             authority_division: str | None = None) -> Prospect:
    """The facts of an organization about to be registered or filed, for the predicates (forms, the import)."""
    if track == Track.FILED and authority_division is None and division:
        body = filing_body(_division(division))
        authority_division = body.code if body else None
    org = Organization(track=track, tier=tier or (Tier.REGISTERED if track == Track.REGISTERED else Tier.COMMUNITY),
                       division_id=division, registration_authority_division_id=authority_division)
    return Prospect(Facts(division=division, authority_division=authority_division,
                          track=org.responsibility_track))


@transaction.atomic
def update_organization(org: Organization, changes: dict, user, effective_date: date | None = None,
                        reason: str = "") -> Organization:
    """Change registered facts. Changes to the span facts (community, type, tier, categories,
    service targets, party building, incubation, …) take effect on ``effective_date`` (today by
    default); every change is kept in the field history with the user and reason.
    """
    _require(user, "orgs.change", org)
    org = _locked(org)
    if org.status in FINAL_STATUSES:
        raise ValidationError(f"该组织已{org.get_status_display()}，其信息不能再修改。")
    changes = dict(changes)
    forbidden = sorted(PROTECTED_FIELDS & changes.keys())
    if forbidden:
        raise ValidationError(
            f"以下事项须通过专门的办理流程变更，不能直接修改：{'、'.join(forbidden)}"
            "（状态请办理状态变更，备案转登记请办理登记转换）。"
        )
    day = effective_date or date.today()
    _check_effective_date(org, day)
    was_federation = org.is_federation
    old_start = org.started_on
    before = org.span_facts()

    m2m = {}
    for field, model in M2M_FIELDS.items():
        if field in changes:
            m2m[field] = _resolve_terms(model, changes.pop(field))
    division_changes = _division_changes(changes)
    for key in ("division", "division_id", "registration_authority_division", "registration_authority_division_id"):
        changes.pop(key, None)
    for key in ("registration_authority", "registration_authority_id"):
        if key in changes:
            authority = _authority(changes.pop(key), division_changes.get("registration_authority_division"))
            changes["registration_authority"] = authority
            division_changes["registration_authority_division"] = authority.division if authority else None
    for key, value in changes.items():
        try:
            field = org._meta.get_field(key)
        except FieldDoesNotExist as exc:
            raise ValidationError(f"未知的字段：{key}") from exc
        if not field.concrete or field.many_to_many:
            raise ValidationError(f"字段“{key}”不能在此修改。")
        if field.is_relation and not isinstance(value, models.Model):
            setattr(org, field.attname, value)
        else:
            setattr(org, field.name, value)
    for key, value in division_changes.items():
        setattr(org, key, value)
    # the organization stays one this account decides on (it cannot hand it to another body or area)
    _require(user, "orgs.change", org)
    if org.is_street_federation and not was_federation:
        _check_federation(org)
    changed_labels = [str(org._meta.get_field(k).verbose_name) for k in changes if _is_field(org, k)]
    changed_labels += [str(org._meta.get_field(k).verbose_name) for k in (*division_changes, *m2m)]
    _save(org, user, reason)
    for field, objs in m2m.items():
        getattr(org, field).set(objs)
    if org.started_on != old_start:
        _move_start(org, org.started_on)
    _sync_spans(org, day, before)
    if changed_labels:
        _decide(org, RegistryDecision.Kind.CHANGE, f"变更“{org.name}”的{'、'.join(changed_labels)}", user,
                reason, day)
    return org


def _is_field(org, key: str) -> bool:
    try:
        org._meta.get_field(key)
    except FieldDoesNotExist:
        return False
    return True


def _division_changes(changes: dict) -> dict:
    out = {}
    for field in ("division", "registration_authority_division"):
        for key in (field, f"{field}_id"):
            if key in changes:
                value = changes[key]
                division = _division(value)
                if field == "division" and division is None:
                    raise ValidationError({"division": "请选择组织所在的社区（区划）。"})
                out[field] = division
    return out


@transaction.atomic
def change_status(org: Organization, new_status: str, effective_date: date, reason: str, user) -> StatusChange:
    """Record a status change effective on ``effective_date`` (may be in the past)."""
    new_status = Status(new_status)
    _require(user, STATUS_ACTIONS[new_status], org)
    org = _locked(org)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写状态变更的原因。"})
    _check_effective_date(org, effective_date)
    later = (
        StatusChange.objects.filter(organization=org, effective_date__gt=effective_date)
        .order_by("-effective_date").first()
    )
    if later:
        raise ValidationError(
            {"effective_date": f"该组织在{later.effective_date}已有一次状态变更（{later.get_to_status_display()}），"
                               f"新的状态变更不能早于该日期。"}
        )
    current = Status(org.status)
    if new_status == current:
        raise ValidationError({"to_status": f"该组织当前已是“{current.label}”。"})
    if new_status not in TRANSITIONS[current]:
        if current in FINAL_STATUSES:
            raise ValidationError({"to_status": f"该组织已{current.label}，状态不能再变更。"})
        raise ValidationError({"to_status": f"不能从“{current.label}”变更为“{new_status.label}”。"})
    if new_status == Status.REVOKED and org.track != Track.REGISTERED:
        raise ValidationError({"to_status": "备案类组织没有登记可撤销，请使用“注销”或“清理”。"})
    org.status = new_status
    org._history_user = user
    org._change_reason = reason
    org.save()
    change = StatusChange.objects.create(
        organization=org, from_status=current, to_status=new_status, effective_date=effective_date,
        reason=reason.strip(), recorded_by=user,
    )
    _apply_facts(org, effective_date, {"status": new_status})
    _decide(org, RegistryDecision.Kind.STATUS, f"“{org.name}”由“{current.label}”变更为“{new_status.label}”", user,
            reason.strip(), effective_date)
    return change


def correctable_change(org: Organization) -> StatusChange | None:
    """The status change a correction may undo: the latest one, unless it is itself a correction or corrected."""
    latest = (StatusChange.objects.filter(organization=org).exclude(from_status="")
              .order_by("-effective_date", "-id").first())
    if latest is None or latest.corrects_id is not None or latest.corrections.exists():
        return None
    return latest


@transaction.atomic
def correct_status(org: Organization, change: StatusChange, reason: str, user) -> StatusChange:
    """更正: undo a wrong status change (e.g. a wrong 注销 or 撤销) as if it had not taken effect. The wrong
    step stays in the history, marked as corrected, beside the correction with its reason."""
    _require(user, "orgs.correct", org)
    org = _locked(org)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写更正的原因。"})
    if change.organization_id != org.pk or change != correctable_change(org):
        raise ValidationError("只能更正该组织最近一次、尚未更正的状态变更。")
    wrong, restored = Status(change.to_status), Status(change.from_status)
    org.status = restored
    _save(org, user, f"更正：{reason.strip()}")
    correction = StatusChange.objects.create(
        organization=org, from_status=wrong, to_status=restored, effective_date=change.effective_date,
        reason=f"更正：{reason.strip()}", recorded_by=user, corrects=change,
    )
    _apply_facts(org, change.effective_date, {"status": restored})
    _decide(org, RegistryDecision.Kind.CORRECT,
            f"更正“{org.name}”{change.effective_date}的“{wrong.label}”，恢复为“{restored.label}”", user,
            reason.strip(), change.effective_date)
    return correction


@transaction.atomic
def register_filed_group(org: Organization, credit_code: str, registered_on: date, user, *,
                         org_type: str | None = None, registration_authority=None,
                         registration_authority_division=None, registered_capital=None,
                         reason: str = "") -> Organization:
    """A filed group obtains legal-person registration: the same record, uid and history. Decided by the
    registering body the registration names (``orgs.register``)."""
    _require(user, "orgs.view", org)
    require(user, "orgs.register")
    org = _locked(org)
    if org.track != Track.FILED:
        raise ValidationError("该组织已是登记类组织。")
    if org.status not in LIVE_STATUSES:
        raise ValidationError(f"该组织已{org.get_status_display()}，不能办理登记。")
    code = validators.normalize_credit_code(credit_code)
    org_type = org_type or validators.org_type_from_credit_code(code)
    if org_type not in (OrgType.SOCIAL_GROUP, OrgType.SOCIAL_SERVICE):
        raise ValidationError({"org_type": "备案组织转为登记时，类型应为社会团体或民办非企业单位（社会服务机构）。"})
    _check_effective_date(org, registered_on)
    if org.filed_on and registered_on < org.filed_on:
        raise ValidationError({"registered_on": "登记日期不能早于备案日期。"})
    hint = _division(registration_authority_division)
    authority = _authority(registration_authority, hint)
    if authority is None and hint is not None:  # the registering body of the division named
        authority = Authority.objects.active().filter(division=hint).order_by("-registers", "order", "pk").first()
    if authority is None:
        raise ValidationError({"registration_authority": "请选择登记管理机关。"})
    require(user, "orgs.register", prospect(division=org.division_id, track=Track.REGISTERED,
                                            authority_division=authority.division_id))
    before = org.span_facts()
    org.track = Track.REGISTERED
    org.org_type = org_type
    org.tier = Tier.REGISTERED
    org.credit_code = code
    org.registered_on = registered_on
    org.registration_authority = authority
    org.registration_authority_division_id = authority.division_id
    if registered_capital is not None:
        org.registered_capital = registered_capital
    org.is_community_org = True
    _check_federation(org)
    _save(org, user, reason or "备案组织依法登记")
    _sync_spans(org, registered_on, before)
    _decide(org, RegistryDecision.Kind.CONVERT, f"备案组织“{org.name}”依法登记为{org.get_org_type_display()}", user,
            reason, registered_on)
    return org


# --- leaders and hub members -----------------------------------------------------------------
@transaction.atomic
def save_leader(org: Organization, data: dict, user, leader: Leader | None = None) -> Leader:
    return _save_leader(org, data, user, leader)


def _save_leader(org: Organization, data: dict, user, leader: Leader | None = None) -> Leader:
    """``save_leader`` inside a transaction the caller holds (a new organization's: no savepoint of its own)."""
    _require(user, "orgs.change", org)
    leader = leader or Leader(organization=org)
    if leader.organization_id != org.pk:
        raise ValidationError("该负责人不属于此组织。")
    for key, value in data.items():
        setattr(leader, key, value)
    leader.full_clean(exclude=_loaded_relations(leader))
    leader._history_user = user
    leader.save()
    return leader


def _add_member(hub: Organization, member: Organization, joined_on: date) -> HubMembership:
    if member.pk == hub.pk:
        raise ValidationError("组织不能成为自己的会员。")
    if member.status not in LIVE_STATUSES:
        raise ValidationError(f"“{member.name}”已{member.get_status_display()}，不能加入枢纽组织。")
    if HubMembership.objects.filter(hub=hub, member=member, left_on__isnull=True).exists():
        raise ValidationError(f"“{member.name}”已是“{hub.name}”的会员。")
    return HubMembership.objects.create(hub=hub, member=member, joined_on=joined_on)


@transaction.atomic
def add_hub_member(hub: Organization, member: Organization, joined_on: date, user) -> HubMembership:
    _require(user, "orgs.change", hub)
    if not member.is_visible_to(user):
        raise PermissionDenied("该成员组织不在您的管辖范围内。")
    if joined_on > date.today():
        raise ValidationError({"joined_on": "加入日期不能晚于今天。"})
    return _add_member(hub, member, joined_on)


@transaction.atomic
def end_hub_membership(membership: HubMembership, left_on: date, user) -> HubMembership:
    _require(user, "orgs.change", membership.hub)
    if membership.left_on is not None:
        raise ValidationError("该会员已退出。")
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": "退出日期不能早于加入日期。"})
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    return membership


# --- guidance --------------------------------------------------------------------------------
@transaction.atomic
def add_guidance(org: Organization, text: str, user):
    """An opinion or guidance on an organization (the street, the community, the supervising bureau)."""
    from .models import Guidance

    _require(user, "orgs.advise", org)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写指导意见。"})
    return Guidance.objects.create(organization=org, text=text, author=user, author_division_id=user.division_id)


def link_applicant(org: Organization, account, role: str, user, reason: str = "") -> AccountLink:
    """Link the account that applied for ``org`` to it (an approved application; the decider acts, so
    no ``accounts.link`` duty is needed). An existing link is kept."""
    link = AccountLink.objects.filter(user=account, organization=org).first()
    if link is not None:
        return link
    link = AccountLink(user=account, organization=org, role=role, division_id=org.division_id, created_by=user)
    link._history_user = user
    if reason:
        link._change_reason = reason
    link.save()
    return link


# --- applications about an existing organization (变更, 分类) -------------------------------------
def check_federation(org: Organization) -> None:
    """The federation member minimum as registration checks it (an application about a renamed organization)."""
    _check_federation(org)


@transaction.atomic
def change_first_leader(org: Organization, user, *, name: str | None = None, phone: str | None = None,
                        reason: str = "") -> Leader:
    """Change the first leader (负责人 / 法定代表人) of ``org``: a new name is another person, so the previous
    person's identity number and party membership do not carry over (staff complete them)."""
    _require(user, "orgs.change", org)
    org = _locked(org)
    if org.status in FINAL_STATUSES:
        raise ValidationError(f"该组织已{org.get_status_display()}，其信息不能再修改。")
    leader = org.leaders.order_by("order", "id").first() or Leader(organization=org, order=0)
    if name is not None and name.strip() and name.strip() != leader.name:
        leader.name = name.strip()
        leader.id_number = ""
        leader.is_party_member = False
    if phone is not None:
        leader.phone = phone.strip()
    leader.full_clean()
    leader._history_user = user
    if reason:
        leader._change_reason = reason
    leader.save()
    _decide(org, RegistryDecision.Kind.CHANGE, f"变更“{org.name}”的负责人", user, reason)
    return leader


@transaction.atomic
def categorise(org: Organization, categories: Iterable, user, reason: str = "") -> Organization:
    """备案后分类 (seed 002: 已备案的及时分类): the filing body sorts a filed group into categories."""
    require(user, "orgs.categorise", org)
    _require_in_scope(user, org.division_id)
    if org.track != Track.FILED:
        raise ValidationError("只有备案组织由备案机关分类；登记类组织的类别请办理变更。")
    return update_organization(org, {"categories": list(categories)}, user, reason=reason or "备案后分类")
