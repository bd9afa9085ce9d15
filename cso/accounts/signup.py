"""Self sign-up of an organization's account with a mobile number (issue 10).

Step 1: the mobile number → a one-time code by SMS (``cso.accounts.phonecodes``; the same answer whether
or not the number has an account). Step 2: the code, the name, a password and the community the
organization works in → an account with role ``organization``, linked to no organization yet (staff link
it, an invitation links it, or an approved application does). The phone becomes the username.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cso.core.widgets import SearchSelect
from cso.regions import codes
from cso.regions.models import Division

from . import phonecodes
from .choices import Role
from .forms import BootstrapMixin
from .models import User
from .services import client_ip
from .validators import mask_mobile, validate_mobile

SESSION_PHONE = "signup_phone"
SESSION_NEXT = "signup_next"  # where to go after signing up (an invitation's accept page)
SENT = "如该号码可以接收短信，验证码将在1分钟内送达{masked}，{minutes}分钟内有效。"


def communities():
    return Division.objects.current().filter(level=codes.COMMUNITY).select_related("parent")


def community_label(division: Division) -> str:
    parent = f" · {division.parent.name}" if division.parent_id else ""
    return f"{division.name}{parent}（{division.code}）"


class PublicDivisionSelect(SearchSelect):
    """The search-as-you-type widget, asking the public list of communities (the sign-up page has no account)."""

    def __init__(self, **kwargs):
        super().__init__("accounts.signup_communities", placeholder="输入社区（村）名称或代码搜索", **kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-lookup-url"] = reverse("accounts:signup_communities") + "?source=public"
        return context


class PhoneForm(BootstrapMixin, forms.Form):
    phone = forms.CharField(label="手机号码", max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))

    def clean_phone(self):
        return validate_mobile(self.cleaned_data["phone"])


class SignupForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label="短信验证码", max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    full_name = forms.CharField(label="姓名", max_length=50)
    division = forms.ModelChoiceField(
        label="组织所在社区（村）", queryset=Division.objects.none(), to_field_name="code",
        error_messages={"invalid_choice": "请从候选中选择组织所在的社区（村）。",
                        "required": "请选择组织所在的社区（村）。"},
    )
    password1 = forms.CharField(label="密码", strip=False, help_text=password_validators_help_text_html(),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="再次输入密码", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["division"]
        field.queryset = communities()
        field.label_from_instance = community_label
        css = field.widget.attrs.get("class", "")
        field.widget = PublicDivisionSelect(field=field)
        field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致。")
        elif p1:
            try:
                validate_password(p1, User(username="", full_name=data.get("full_name") or ""))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


def is_registered(phone: str) -> bool:
    return User.objects.filter(Q(phone=phone) | Q(username=phone)).exists()


@transaction.atomic
def create_account(phone: str, full_name: str, password: str, division: Division) -> User:
    """The organization's account of a verified phone (the code was checked before)."""
    if is_registered(phone):
        raise ValidationError({"phone": "该手机号码已注册账号，请直接登录；忘记密码请联系街道或民政部门工作人员重置。"})
    user = User(username=phone, phone=phone, phone_verified_at=timezone.now(), full_name=full_name.strip(),
                role=Role.ORGANIZATION, division=division)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user._change_reason = "手机号码自助注册"
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"phone": "该手机号码已注册账号，请直接登录。"}) from exc
    return user


def after_signup_url(request) -> str:
    target = request.session.pop(SESSION_NEXT, None)
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    try:
        return reverse("portal:home")
    except NoReverseMatch:
        return reverse("core:home")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    """``accounts.signup``: public. A signed-in account is sent home (it needs no second account)."""
    if request.user.is_authenticated:
        messages.info(request, "您已登录，无须注册；如需为其他组织注册账号，请先退出登录。")
        return redirect("core:home")
    if request.GET.get("restart"):
        request.session.pop(SESSION_PHONE, None)
        return redirect("accounts:signup")
    phone = request.session.get(SESSION_PHONE)
    phone_form = PhoneForm(initial={"phone": phone or ""})
    form = SignupForm()
    if request.method == "POST" and request.POST.get("step") == "send":
        phone_form = PhoneForm(request.POST)
        if phone_form.is_valid():
            try:
                issued = phonecodes.issue(phone_form.cleaned_data["phone"], address=client_ip(request))
            except ValidationError as error:
                phone_form.add_error("phone", error)
            else:
                request.session[SESSION_PHONE] = issued.phone
                messages.success(request, SENT.format(masked=issued.masked, minutes=phonecodes.code_minutes()))
                return redirect("accounts:signup")
        phone = None  # the number's form again, with its error
    elif request.method == "POST" and phone:
        form = SignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                phonecodes.verify(phone, data["code"])
            except ValidationError as error:
                form.add_error("code", error)
            else:
                try:
                    user = create_account(phone, data["full_name"], data["password1"], data["division"])
                except ValidationError as error:
                    form.add_error(None, error.message_dict.get("phone", error.messages)[0]
                                   if hasattr(error, "error_dict") else error.messages[0])
                else:
                    request.session.pop(SESSION_PHONE, None)
                    next_url = request.session.get(SESSION_NEXT)
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    if next_url:
                        request.session[SESSION_NEXT] = next_url
                    messages.success(request, f"账号已注册，用户名为手机号码{mask_mobile(phone)}。"
                                              "请联系所在街道（社区）邀请或关联您的组织。")
                    return redirect(after_signup_url(request))
    context = {
        "phone": phone, "masked": mask_mobile(phone) if phone else "", "phone_form": phone_form, "form": form,
        "minutes": phonecodes.code_minutes(), "attempts": phonecodes.max_attempts(),
    }
    return render(request, "accounts/signup.html", context)


@login_not_required
@never_cache
@require_GET
def signup_communities(request):
    """Matches for the community field of the sign-up page (division names and codes are public)."""
    term = " ".join((request.GET.get("q") or "").split())
    results = []
    if term:
        queryset = communities()
        if term.isdigit():
            if len(term) <= codes.CODE_LENGTH:
                low, high = codes.subtree_bounds(term)
                queryset = queryset.filter(code__gte=low, code__lte=high)
            else:
                queryset = queryset.none()
        else:
            queryset = queryset.filter(name__contains=term)
        results = [{"value": d.code, "text": community_label(d)} for d in queryset.order_by("code")[:20]]
    return JsonResponse({"results": results})
