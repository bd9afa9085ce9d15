from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cso.core.scoping import CHANGE, VIEW, ScopedModel, ScopedQuerySet

from .choices import ACCOUNT_MANAGER_ROLES, ROLE_LEVELS, STAFF_ROLES, Role, role_label, role_rank


class UserQuerySet(ScopedQuerySet):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(ScopedModel, AbstractUser):
    """An account, bound to one administrative division and one role.

    Superusers may have no division: they see the whole country.
    """

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    phone_verified_at = models.DateTimeField(
        "手机号码验证时间", null=True, blank=True, editable=False,
        help_text="以短信验证码验证本人手机号码的时间（自助注册时）；为空则未验证。",
    )
    title = models.CharField("职务/部门", max_length=100, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.COMMUNITY)
    division = models.ForeignKey(
        "regions.Division", verbose_name="所属区划", null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    created_by = models.ForeignKey(
        "self", verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    objects = ScopedUserManager()
    scope_field = "division"

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        ordering = ["division_id", "username"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def level(self) -> int | None:
        return self.division.level if self.division_id else None

    @property
    def is_staff_role(self) -> bool:
        return self.is_superuser or self.role in STAFF_ROLES

    @property
    def can_manage_accounts(self) -> bool:
        from .responsibilities import can

        return can(self, "accounts.manage")

    @property
    def rank(self) -> int:
        return role_rank(self.role, self.level, self.is_superuser)

    @property
    def role_display(self) -> str:
        if self.is_superuser:
            return "超级管理员"
        return role_label(self.role, self.level)

    def clean(self):
        super().clean()
        if not self.is_superuser:
            if self.division_id is None:
                raise ValidationError({"division": "请选择所属区划：除超级管理员外，每个账号都须绑定一个区划。"})
            allowed = ROLE_LEVELS.get(self.role, ())
            if self.division.level not in allowed:
                raise ValidationError(
                    {"role": f"“{Role(self.role).label}”不能绑定在{self.division.get_level_display()}区划"
                     f"“{self.division.name}”上。"}
                )

    # --- scoping ---------------------------------------------------------------------------
    @classmethod
    def scope_extra_q(cls, user, action):
        if action == VIEW:
            if user.is_superuser or user.role in STAFF_ROLES:
                return Q()
            return Q(pk=user.pk)
        if action == CHANGE:
            if user.is_superuser:
                return Q()
            if user.role in ACCOUNT_MANAGER_ROLES:
                # Never an account above one's own rank: filtered precisely in Python where the
                # rank depends on the bound division; superusers are never changeable by others.
                return Q(is_superuser=False)
        return None


class SignInEvent(ScopedModel):
    """A sign-in attempt, successful or not, kept for the audit."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    user = models.ForeignKey(User, verbose_name="账号", null=True, blank=True, on_delete=models.SET_NULL)
    division = models.ForeignKey(
        "regions.Division", verbose_name="所属区划", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    success = models.BooleanField("成功")
    reason = models.CharField("说明", max_length=100, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    scope_field = "division"

    class Meta:
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"
        ordering = ["-created_at"]

    @classmethod
    def scope_extra_q(cls, user, action):
        # Sign-in records are read by staff of the subtree and never changed by anyone.
        if action == VIEW and (user.is_superuser or user.role in STAFF_ROLES):
            return Q()
        return None

    def __str__(self):
        return f"{self.username} {'成功' if self.success else '失败'} {self.created_at}"


class PhoneCode(models.Model):
    """A one-time code sent by SMS (sign-up), kept hashed: it expires, allows a few attempts, is used once.

    Not scoped: no page lists codes; they are read only by the phone and purpose they were sent for.
    """

    class Purpose(models.TextChoices):
        SIGNUP = "signup", "注册账号"

    phone = models.CharField("手机号码", max_length=11, db_index=True)
    code_hash = models.CharField("验证码摘要", max_length=64)
    purpose = models.CharField("用途", max_length=12, choices=Purpose.choices, default=Purpose.SIGNUP)
    client_address = models.GenericIPAddressField("请求地址", null=True, blank=True, db_index=True)
    created = models.DateTimeField("发送时间", auto_now_add=True, db_index=True)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    used = models.BooleanField("已使用", default=False)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        ordering = ["-created", "-id"]

    def __str__(self):
        from .validators import mask_mobile

        return f"{mask_mobile(self.phone)} {self.get_purpose_display()} {self.created:%Y-%m-%d %H:%M}"
