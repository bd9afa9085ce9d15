"""Account operations and rules, testable without HTTP.

Every rule here is also checked by the forms (so people get a field error), and again here (so no
other path — the API, a management command, a future bulk import — can skip it).

Rules for an account manager (``user.can_manage_accounts``):
- the bound division lies inside the manager's own subtree;
- the role is allowed at that division's level (``ROLE_LEVELS``);
- the role's rank (``role_rank``) does not exceed the manager's own rank;
- no account ranking above the manager may be changed, nor any superuser or system administrator
  unless the manager is a superuser; and managers do not manage their own account here (the
  profile page is for that).
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from cso.core.scoping import CHANGE, Scope
from cso.regions import codes
from cso.regions.models import Division

from .choices import ROLE_LEVELS, Role, role_rank
from .models import SignInEvent, User

# --- rules ---------------------------------------------------------------------------------


def _level_names(levels) -> str:
    return "、".join(codes.LEVEL_SHORT_NAMES[level] for level in levels)


def role_level_help() -> str:
    """"民政部门工作人员：省、市、县（区）" … for help texts."""
    return "；".join(f"{Role(role).label}：{_level_names(levels)}" for role, levels in ROLE_LEVELS.items())


def assignable_roles(manager) -> list[tuple[str, str]]:
    """Roles the manager may give to some account (at some level): choices for the forms."""
    choices = []
    for role, label in Role.choices:
        if role == Role.ADMIN and not manager.is_superuser:
            continue
        if min(role_rank(role, level) for level in ROLE_LEVELS[role]) <= manager.rank:
            choices.append((role, label))
    return choices


def division_for_manager(manager, code: str) -> Division:
    """The division with this 12-digit code if the manager may bind accounts to it.

    Raises ``ValidationError`` (for the ``division`` field) otherwise; a division outside the
    manager's subtree gets the same answer as one that does not exist.
    """
    code = (code or "").strip()
    if not codes.is_valid_code(code):
        raise ValidationError({"division": "请输入12位统计用区划代码，例如 450102001000。"})
    division = Division.objects.visible_to(manager).filter(code=code).first()
    if division is None:
        raise ValidationError({"division": f"区划代码 {code} 不存在或不在您的管辖范围内。"})
    return division


def check_assignment(manager, *, role: str, division: Division | None) -> None:
    """May ``manager`` bind an account with ``role`` to ``division``? Raises ValidationError."""
    if not manager.can_manage_accounts:
        raise PermissionDenied("您的账号无权管理账号。")
    if role not in Role.values:
        raise ValidationError({"role": "请选择有效的角色。"})
    if role == Role.ADMIN and not manager.is_superuser:
        raise ValidationError({"role": "只有超级管理员可以创建或设置系统管理员账号。"})
    if division is None:
        raise ValidationError({"division": "请填写所属区划：除超级管理员外，每个账号都须绑定一个区划。"})
    if not Division.objects.visible_to(manager).filter(code=division.code).exists():
        raise ValidationError({"division": f"区划代码 {division.code} 不存在或不在您的管辖范围内。"})
    allowed = ROLE_LEVELS.get(role, ())
    if division.level not in allowed:
        raise ValidationError(
            {"role": f"“{Role(role).label}”只能绑定在{_level_names(allowed)}一级，"
                     f"所选区划“{division.name}”是{codes.LEVEL_SHORT_NAMES[division.level]}一级。"}
        )
    if role_rank(role, division.level) > manager.rank:
        raise ValidationError({"role": "不能创建或设置级别高于您本人的账号。"})


def can_change(manager, target) -> bool:
    try:
        check_can_change(manager, target)
    except PermissionDenied:
        return False
    return True


def check_can_change(manager, target) -> None:
    """May ``manager`` change ``target`` at all? Raises PermissionDenied with a reason."""
    if not manager.can_manage_accounts:
        raise PermissionDenied("您的账号无权管理账号。")
    if not User.objects.visible_to(manager, CHANGE).filter(pk=target.pk).exists():
        raise PermissionDenied("该账号不在您的管辖范围内。")
    if target.pk == manager.pk:
        raise PermissionDenied("不能在账号管理中修改自己的账号，请到“个人信息”页面修改。")
    if (target.is_superuser or target.role == Role.ADMIN) and not manager.is_superuser:
        raise PermissionDenied("只有超级管理员可以修改超级管理员或系统管理员账号。")
    if target.rank > manager.rank:
        raise PermissionDenied("不能修改级别高于您本人的账号。")


# --- passwords ------------------------------------------------------------------------------

_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


def generate_password(user=None, length: int = 12) -> str:
    """A temporary password that satisfies the policy, without look-alike characters."""
    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if not (any(c.isupper() for c in password) and any(c.islower() for c in password)
                and any(c.isdigit() for c in password)):
            continue
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def _stamp(user: User, actor, reason: str) -> None:
    """Tell simple-history who changed the account and why (works with or without a request)."""
    user._history_user = actor
    user._change_reason = reason


# --- operations -------------------------------------------------------------------------------


@dataclass
class CreatedAccount:
    user: User
    password: str
    generated: bool


@transaction.atomic
def create_user(
    manager, *, username: str, role: str, division: Division | None, full_name: str = "",
    phone: str = "", title: str = "", password: str | None = None,
) -> CreatedAccount:
    """Create an account inside the manager's subtree; it must change its password on first sign-in."""
    check_assignment(manager, role=role, division=division)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被使用。"})
    user = User(
        username=username, role=role, division=division, full_name=full_name, phone=phone, title=title,
        must_change_password=True, created_by=manager if manager.pk else None,
    )
    generated = not password
    if generated:
        password = generate_password(user)
    else:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    _stamp(user, manager, "新建账号")
    user.save()
    return CreatedAccount(user=user, password=password, generated=generated)


@transaction.atomic
def update_user(manager, target: User, *, role: str, division: Division | None, full_name: str,
                phone: str, title: str) -> User:
    """Change an account's role, division and contact details."""
    check_can_change(manager, target)
    check_assignment(manager, role=role, division=division)
    changed_role = role != target.role or (division and division.code) != target.division_id
    target.role = role
    target.division = division
    target.full_name = full_name
    target.phone = phone
    target.title = title
    target.full_clean(exclude=["password"])
    _stamp(target, manager, "调整角色或所属区划" if changed_role else "修改账号信息")
    target.save()
    return target


@transaction.atomic
def reset_password(manager, target: User, password: str | None = None) -> CreatedAccount:
    """Set a temporary password (typed or generated); the account must change it at next sign-in.

    A reset also lifts a sign-in lockout: the manager has just verified who is asking.
    """
    check_can_change(manager, target)
    generated = not password
    if generated:
        password = generate_password(target)
    else:
        validate_password(password, target)
    target.set_password(password)
    target.must_change_password = True
    _stamp(target, manager, "管理员重置密码")
    target.save()
    unlock_sign_in(target.username)
    return CreatedAccount(user=target, password=password, generated=generated)


@transaction.atomic
def set_active(manager, target: User, active: bool) -> User:
    check_can_change(manager, target)
    if target.is_active == active:
        return target
    target.is_active = active
    _stamp(target, manager, "启用账号" if active else "停用账号")
    target.save(update_fields=["is_active"])
    return target


def unlock(manager, target: User) -> int:
    """Lift a sign-in lockout early; recorded in the account's history. Returns attempts removed."""
    check_can_change(manager, target)
    removed = unlock_sign_in(target.username)
    _stamp(target, manager, "解除登录锁定")
    # An unchanged field, saved only so that the unlock appears in the account's history.
    target.save(update_fields=["is_active"])
    return removed


def unlock_sign_in(username: str) -> int:
    from axes.utils import reset

    return reset(username=username)


@transaction.atomic
def update_profile(user: User, *, full_name: str, phone: str, title: str) -> User:
    user.full_name = full_name
    user.phone = phone
    user.title = title
    _stamp(user, user, "本人修改个人信息")
    user.save(update_fields=["full_name", "phone", "title"])
    return user


# --- lockout ----------------------------------------------------------------------------------


def failure_limit() -> int:
    limit = settings.AXES_FAILURE_LIMIT
    return limit if isinstance(limit, int) else 5


def address_failure_limit() -> int:
    """Failed sign-ins from one address, whatever the user names, before the address is locked."""
    return max(settings.CSO_LOGIN_ADDRESS_FAILURE_LIMIT, failure_limit())


def lockout_minutes() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    if isinstance(cooloff, timedelta):
        return max(1, int(cooloff.total_seconds() // 60))
    if isinstance(cooloff, int | float):
        return max(1, int(cooloff * 60))  # axes reads a number as hours
    return 0


@dataclass
class LockoutStatus:
    failures: int
    limit: int
    locked: bool
    until: datetime | None


def lockout_status(username: str) -> LockoutStatus:
    """Failed sign-ins counted by django-axes for this user name, and whether it is locked now.

    The lock is per user name and address (cso.accounts.lockout): the account counts as locked when
    it is locked from at least one address; ``failures`` is the count of that (or the worst) address.
    """
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(username=username)
    minutes = lockout_minutes()
    if minutes:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - timedelta(minutes=minutes))
    per_address = list(
        attempts.values("ip_address").annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .order_by("-failures", "-last")
    )
    worst = per_address[0] if per_address else {"failures": 0, "last": None}
    failures = worst["failures"] or 0
    limit = failure_limit()
    locked = failures >= limit
    until = worst["last"] + timedelta(minutes=minutes) if locked and minutes and worst["last"] else None
    return LockoutStatus(failures=failures, limit=limit, locked=locked, until=until)


# --- sign-in audit --------------------------------------------------------------------------


def client_ip(request) -> str | None:
    if request is None:
        return None
    candidate = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None


def record_sign_in(request, *, username: str, user: User | None, success: bool, reason: str) -> SignInEvent:
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SignInEvent.objects.create(
        username=(username or "")[:150],
        user=user,
        division_id=user.division_id if user is not None else None,
        success=success,
        reason=reason[:100],
        ip_address=client_ip(request),
        user_agent=agent[:300],
    )


# --- change history ---------------------------------------------------------------------------


def history_scope_q(user, field: str) -> Q:
    """Historical rows whose division code at ``field`` lies in the user's subtree.

    History tables cannot use ``visible_to`` (they are not scoped models); this is the one place
    that limits them, through the same ``Scope`` as everything else.
    """
    return Scope.for_user(user).q(field)


def user_history_visible_to(user):
    return User.history.filter(history_scope_q(user, "division_id"))


def division_history_visible_to(user):
    return Division.history.filter(history_scope_q(user, "code"))


def with_previous(queryset):
    """Annotate each historical row with the id of the row before it (for diffs in two queries)."""
    model = queryset.model
    pk_name = model.instance_type._meta.pk.attname
    previous = (
        model.objects.filter(**{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    return queryset.annotate(prev_history_id=Subquery(previous))


# Fields never shown in diffs (secrets, bookkeeping, unused Django defaults).
HIDDEN_HISTORY_FIELDS = {"password", "last_login", "date_joined", "first_name", "last_name", "updated_at"}
HISTORY_KINDS = {"+": "新建", "~": "修改", "-": "删除"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    record: object
    kind: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def actor(self):
        return self.record.history_user

    @property
    def reason(self) -> str:
        return self.record.history_change_reason or ""

    @property
    def date(self):
        return self.record.history_date


def _tracked_fields(instance_model, history_model) -> list[models.Field]:
    history_attnames = {f.attname for f in history_model._meta.concrete_fields}
    return [
        f for f in instance_model._meta.concrete_fields
        if f.attname in history_attnames and f.name not in HIDDEN_HISTORY_FIELDS
        and not isinstance(f, models.AutoField)  # surrogate ids say nothing to people
    ]


def _display(f: models.Field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        label = related.get((f.related_model, value))
        if label and f.related_model is User:
            return label
        return f"{label}（{value}）" if label else str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def history_entries(records, viewer) -> list[HistoryEntry]:
    """Readable entries (who, when, why, field: old → new) for historical rows of one model.

    ``records`` should come from ``with_previous(...)`` so the previous rows are fetched in one query
    (rows without the annotation fall back to ``prev_record``). Related divisions are named only
    when they lie in the viewer's subtree; otherwise only their code is shown.
    """
    records = list(records)
    if not records:
        return []
    history_model = type(records[0])
    instance_model = history_model.instance_type
    fields = _tracked_fields(instance_model, history_model)

    prev_ids = [getattr(r, "prev_history_id", None) for r in records]
    previous = history_model.objects.in_bulk([p for p in prev_ids if p])

    pairs = []
    for record in records:
        has_prev = hasattr(record, "prev_history_id")
        pairs.append((record, previous.get(record.prev_history_id) if has_prev else record.prev_record))

    # Names of related objects in as few queries as possible.
    wanted: dict[type, set] = {}
    for record, old in pairs:
        for f in fields:
            if f.is_relation:
                for row in (record, old):
                    if row is not None and getattr(row, f.attname) is not None:
                        wanted.setdefault(f.related_model, set()).add(getattr(row, f.attname))
    related: dict = {}
    for model, keys in wanted.items():
        if model is Division:
            rows = Division.objects.visible_to(viewer).filter(code__in=keys).values_list("code", "name")
        elif model is User:
            rows = User.objects.filter(pk__in=keys).values_list("pk", "username")
        else:
            rows = ((obj.pk, str(obj)) for obj in model._default_manager.filter(pk__in=keys))
        for key, label in rows:
            related[(model, key)] = label

    entries = []
    for record, old in pairs:
        entry = HistoryEntry(record=record, kind=HISTORY_KINDS.get(record.history_type, record.history_type))
        for f in fields:
            new_value = getattr(record, f.attname)
            if record.history_type == "+" or old is None:
                # A new row: list what was set, leaving out empty values and unset flags.
                if new_value in (None, "", False) or record.history_type == "-":
                    continue
                entry.changes.append(FieldChange(str(f.verbose_name), "—", _display(f, new_value, related)))
            elif record.history_type == "~":
                old_value = getattr(old, f.attname)
                if old_value != new_value:
                    entry.changes.append(
                        FieldChange(str(f.verbose_name), _display(f, old_value, related),
                                    _display(f, new_value, related))
                    )
        entries.append(entry)
    return entries
