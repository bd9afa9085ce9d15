"""Sign-in audit: every sign-in attempt, successful, failed or refused by the lockout, is a row."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils import timezone

from . import services

LOGGED_IN_UID = "cso.accounts.signals.on_logged_in"
LOGIN_FAILED_UID = "cso.accounts.signals.on_login_failed"
LAST_LOGIN_UID = "cso.accounts.signals.update_last_login_quietly"


def on_logged_in(sender, request, user, **kwargs):
    services.record_sign_in(request, username=user.get_username(), user=user, success=True, reason="登录成功")


def failure_reason(request, user) -> str:
    """Why a sign-in failed, in Chinese, read from what django-axes left on the request.

    This receiver is connected after django-axes' own, so the request already carries the failure
    count and the lockout flag of this attempt.
    """
    limit = services.failure_limit()
    failures = getattr(request, "axes_failures_since_start", None)
    if getattr(request, "axes_locked_out", False):
        if getattr(request, "cso_address_locked", False):
            return "同一地址登录失败次数过多，该地址被暂时禁止登录"
        if failures is None or failures > limit:
            return "账号已锁定，拒绝登录"
        return f"连续{failures}次登录失败，账号被锁定"
    if user is None:
        return "用户名不存在"
    if not user.is_active:
        return "账号已停用"
    return "密码错误"


def on_login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = (credentials or {}).get(User.USERNAME_FIELD) or (credentials or {}).get("username") or ""
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    services.record_sign_in(
        request, username=username, user=user, success=False, reason=failure_reason(request, user)
    )


def update_last_login_quietly(sender, user, **kwargs):
    """Django's ``update_last_login`` saves the whole user, which would add an empty entry to the
    account's change history at every sign-in; an UPDATE of the one column does not."""
    now = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=now)
    user.last_login = now


def connect():
    user_logged_in.disconnect(dispatch_uid="update_last_login")
    user_logged_in.connect(update_last_login_quietly, dispatch_uid=LAST_LOGIN_UID)
    user_logged_in.connect(on_logged_in, dispatch_uid=LOGGED_IN_UID)
    user_login_failed.connect(on_login_failed, dispatch_uid=LOGIN_FAILED_UID)
