
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import PermissionDenied, ValidationError

from cso.core.validators import validate_phone

from . import services
from .models import User


class BootstrapMixin:
    """Bootstrap 5 classes on every widget, and ``is-invalid`` on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def add_rule_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service-rule ValidationError to the form's fields (or to the form as a whole)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def clean_phone(value: str) -> str:
    value = (value or "").strip()
    return validate_phone(value) if value else ""


# --- sign-in and own account ----------------------------------------------------------------


class LoginForm(BootstrapMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用，请联系本级或上级账号管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["username"].widget.attrs.update({"placeholder": "请输入用户名", "autocomplete": "username"})
        self.fields["password"].label = "密码"
        self.fields["password"].widget.attrs.update({"placeholder": "请输入密码"})

    def get_invalid_login_error(self):
        failures = getattr(self.request, "axes_failures_since_start", None)
        if failures:
            remaining = services.failure_limit() - failures
            if remaining > 0:
                return ValidationError(
                    f"用户名或密码不正确，还可尝试 {remaining} 次。", code="invalid_login"
                )
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password1"].help_text = password_validators_help_text_html()
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields["new_password2"].help_text = ""

    def save(self, commit=True):
        self.user.must_change_password = False
        self.user._change_reason = "本人修改密码"
        self.user._history_user = self.user
        return super().save(commit=commit)


class ProfileForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "title"]

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))


# --- account management -------------------------------------------------------------------


class DivisionCodeField(forms.CharField):
    """A division entered by its 12-digit code; resolved in the form against the manager's scope."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "所属区划代码")
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "help_text",
            "输入12位统计用区划代码，或输入区划名称后从候选中选择；只能选择本辖区内的区划。",
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({
            "list": "division-options",
            "autocomplete": "off",
            "inputmode": "numeric",
            "placeholder": "例如 450102001000",
            "data-division-lookup": "",
        })


class PasswordPairMixin:
    """Two optional password fields: left empty, a temporary password is generated."""

    def add_password_fields(self, required=False):
        self.fields["password1"] = forms.CharField(
            label="临时密码", required=required, strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "form-control"}),
            help_text="留空则由系统生成临时密码并只显示一次。" + password_validators_help_text_html(),
        )
        self.fields["password2"] = forms.CharField(
            label="再次输入临时密码", required=required, strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "form-control"}),
        )

    def clean_password_pair(self, user):
        p1 = self.cleaned_data.get("password1") or ""
        p2 = self.cleaned_data.get("password2") or ""
        if not p1 and not p2:
            return None
        if p1 != p2:
            self.add_error("password2", "两次输入的密码不一致。")
            return None
        try:
            validate_password(p1, user)
        except ValidationError as error:
            self.add_error("password1", error)
            return None
        return p1


class AccountFormMixin:
    """Role and division fields, checked against the manager's reach (services.check_assignment)."""

    def setup_account_fields(self, manager):
        self.manager = manager
        self.fields["role"].choices = [("", "请选择角色"), *services.assignable_roles(manager)]
        self.fields["role"].help_text = "各角色可绑定的区划层级：" + services.role_level_help() + "。"
        self.fields["full_name"].required = True

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean_division(self):
        try:
            return services.division_for_manager(self.manager, self.cleaned_data.get("division"))
        except ValidationError as error:
            raise ValidationError(error.error_dict["division"]) from None

    def check_rules(self):
        role = self.cleaned_data.get("role")
        division = self.cleaned_data.get("division")
        if role and division:
            try:
                services.check_assignment(self.manager, role=role, division=division)
            except ValidationError as error:
                add_rule_errors(self, error)
            except PermissionDenied as error:
                self.add_error(None, str(error))


class UserCreateForm(BootstrapMixin, AccountFormMixin, PasswordPairMixin, forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150,
        help_text="登录用，150个字符以内，可用字母、数字和 @ . + - _；建立后不可修改。",
        validators=[User.username_validator],
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色")
    division = DivisionCodeField()
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    title = forms.CharField(label="职务/部门", max_length=100, required=False)

    field_order = ["username", "full_name", "role", "division", "phone", "title", "password1", "password2"]

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_account_fields(manager)
        self.add_password_fields()
        self.order_fields(self.field_order)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("该用户名已被使用。")
        return username

    def clean(self):
        cleaned = super().clean()
        self.check_rules()
        probe = User(username=cleaned.get("username", ""), full_name=cleaned.get("full_name", ""))
        cleaned["password"] = self.clean_password_pair(probe)
        return cleaned


class UserEditForm(BootstrapMixin, AccountFormMixin, forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色")
    division = DivisionCodeField()
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    title = forms.CharField(label="职务/部门", max_length=100, required=False)

    def __init__(self, *args, manager, target, **kwargs):
        kwargs.setdefault("initial", {
            "full_name": target.full_name, "role": target.role, "division": target.division_id or "",
            "phone": target.phone, "title": target.title,
        })
        super().__init__(*args, **kwargs)
        self.target = target
        self.setup_account_fields(manager)

    def clean(self):
        cleaned = super().clean()
        self.check_rules()
        return cleaned


class ResetPasswordForm(BootstrapMixin, PasswordPairMixin, forms.Form):
    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.add_password_fields()

    def clean(self):
        cleaned = super().clean()
        cleaned["password"] = self.clean_password_pair(self.target)
        return cleaned

