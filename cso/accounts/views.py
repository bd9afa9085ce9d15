from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from cso.core.scoping import CHANGE
from cso.regions.models import Division

from . import audit as audit_tabs
from . import services
from .filters import DivisionHistoryFilterSet, SignInFilterSet, UserFilterSet, UserHistoryFilterSet
from .forms import (
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    ResetPasswordForm,
    UserCreateForm,
    UserEditForm,
    add_rule_errors,
)
from .models import SignInEvent, User
from .responsibilities import can
from .tables import SignInTable, UserTable

# Session key holding a generated temporary password until the manager has seen it once.
TEMP_PASSWORD_KEY = "accounts_temp_password"


def _home():
    return {"label": "首页", "url": reverse("core:home")}


def _users_crumb():
    return {"label": "账号管理", "url": reverse("accounts:user_list")}


def _page_size() -> int:
    return getattr(settings, "CSO_PAGE_SIZE", 50)


# --- sign-in ----------------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        if getattr(self.request.user, "must_change_password", False):
            return reverse("accounts:password_change")
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django's "site_name" (the host name) would hide the product name from the context processor.
        context.pop("site", None)
        context.pop("site_name", None)
        context["failure_limit"] = services.failure_limit()
        context["lockout_minutes"] = services.lockout_minutes()
        return context


login_view = LoginView.as_view()
logout_view = auth_views.LogoutView.as_view()


@login_not_required
def locked_out(request, credentials=None, *args, **kwargs):
    """The lockout page django-axes shows (AXES_LOCKOUT_CALLABLE).

    axes calls ``(request, original_response, credentials)`` and falls back to
    ``(request, credentials)``; the credentials are whichever argument is a dict.
    """
    candidates = [credentials, *args, kwargs.get("credentials"), getattr(request, "axes_credentials", None)]
    creds = next((c for c in candidates if isinstance(c, dict)), {})
    username = creds.get("username") or request.POST.get("username", "")
    context = {
        "username": username,
        "failure_limit": services.failure_limit(),
        "lockout_minutes": services.lockout_minutes(),
        "address_locked": getattr(request, "cso_address_locked", False),
        "address_limit": services.address_failure_limit(),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


# --- own account ------------------------------------------------------------------------------


def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user, full_name=form.cleaned_data["full_name"], phone=form.cleaned_data["phone"],
            title=form.cleaned_data["title"],
        )
        messages.success(request, "个人信息已保存。")
        return redirect("accounts:profile")
    context = {
        "form": form,
        "ancestors": [*user.division.ancestors(), user.division] if user.division_id else [],
        "sign_ins": SignInEvent.objects.filter(user=user).order_by("-created_at")[:10],
        "breadcrumbs": [_home(), {"label": "个人信息", "url": ""}],
    }
    return render(request, "accounts/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def get_success_url(self):
        return reverse("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改，请牢记新密码。")
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [_home(), {"label": "个人信息", "url": reverse("accounts:profile")},
                                  {"label": "修改密码", "url": ""}]
        return context


password_change = PasswordChangeView.as_view()


# --- account management -----------------------------------------------------------------------


def _require_manager(request):
    if not request.user.can_manage_accounts:
        raise PermissionDenied("您的账号无权管理账号。")


def _target(request, pk):
    """An account the manager may reach; outside the subtree it does not exist (404)."""
    _require_manager(request)
    queryset = User.objects.visible_to(request.user, CHANGE).select_related("division", "created_by")
    return get_object_or_404(queryset, pk=pk)


def _target_for_change(request, pk):
    target = _target(request, pk)
    services.check_can_change(request.user, target)
    return target


def user_list(request):
    _require_manager(request)
    queryset = User.objects.visible_to(request.user).select_related("division")
    filterset = UserFilterSet(request.GET or None, queryset=queryset, request=request)
    table = UserTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": _page_size()}).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "breadcrumbs": [_home(), {"label": "账号管理", "url": ""}],
    }
    return render(request, "accounts/user_list.html", context)


def user_create(request):
    _require_manager(request)
    form = UserCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_user(
                request.user, username=data["username"], role=data["role"], division=data["division"],
                full_name=data["full_name"], phone=data["phone"], title=data["title"],
                password=data.get("password"),
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            if created.generated:
                request.session[TEMP_PASSWORD_KEY] = {"pk": created.user.pk, "password": created.password}
            messages.success(request, f"账号“{created.user.username}”已建立，首次登录时须修改密码。")
            return redirect("accounts:user_detail", pk=created.user.pk)
    context = {
        "form": form,
        "breadcrumbs": [_home(), _users_crumb(), {"label": "新建账号", "url": ""}],
    }
    return render(request, "accounts/user_form.html", context)


def user_detail(request, pk):
    target = _target(request, pk)
    temp = request.session.get(TEMP_PASSWORD_KEY)
    temp_password = None
    if temp and temp.get("pk") == target.pk:
        temp_password = temp["password"]
        del request.session[TEMP_PASSWORD_KEY]
    history = services.with_previous(
        User.history.filter(id=target.pk).select_related("history_user")
    ).order_by("-history_id")[:50]
    context = {
        "target": target,
        "can_change": services.can_change(request.user, target),
        "lockout": services.lockout_status(target.username),
        "temp_password": temp_password,
        "history": services.history_entries(history, request.user),
        "sign_ins": SignInEvent.objects.filter(user=target).order_by("-created_at")[:10],
        "breadcrumbs": [_home(), _users_crumb(), {"label": target.display_name, "url": ""}],
    }
    return render(request, "accounts/user_detail.html", context)


def user_edit(request, pk):
    target = _target_for_change(request, pk)
    form = UserEditForm(request.POST or None, manager=request.user, target=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_user(
                request.user, target, role=data["role"], division=data["division"],
                full_name=data["full_name"], phone=data["phone"], title=data["title"],
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(request, "账号信息已保存。")
            return redirect("accounts:user_detail", pk=target.pk)
    context = {
        "form": form,
        "target": target,
        "breadcrumbs": [
            _home(), _users_crumb(),
            {"label": target.display_name, "url": reverse("accounts:user_detail", args=[target.pk])},
            {"label": "编辑", "url": ""},
        ],
    }
    return render(request, "accounts/user_form.html", context)


def user_reset_password(request, pk):
    target = _target_for_change(request, pk)
    form = ResetPasswordForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.reset_password(request.user, target, form.cleaned_data.get("password"))
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            if result.generated:
                request.session[TEMP_PASSWORD_KEY] = {"pk": target.pk, "password": result.password}
            messages.success(request, f"已重置“{target.username}”的密码，该账号下次登录时须修改密码。")
            return redirect("accounts:user_detail", pk=target.pk)
    context = {
        "form": form,
        "target": target,
        "breadcrumbs": [
            _home(), _users_crumb(),
            {"label": target.display_name, "url": reverse("accounts:user_detail", args=[target.pk])},
            {"label": "重置密码", "url": ""},
        ],
    }
    return render(request, "accounts/user_reset_password.html", context)


@require_POST
def user_toggle_active(request, pk):
    target = _target_for_change(request, pk)
    services.set_active(request.user, target, not target.is_active)
    if target.is_active:
        messages.success(request, f"账号“{target.username}”已启用。")
    else:
        messages.warning(request, f"账号“{target.username}”已停用，该账号将无法登录。")
    return redirect("accounts:user_detail", pk=target.pk)


@require_POST
def user_unlock(request, pk):
    target = _target_for_change(request, pk)
    services.unlock(request.user, target)
    messages.success(request, f"已解除账号“{target.username}”的登录锁定。")
    return redirect("accounts:user_detail", pk=target.pk)


def division_lookup(request):
    """Datalist options for the division code field: divisions of the manager's subtree by name or code."""
    _require_manager(request)
    term = (request.GET.get("q") or request.GET.get("division") or "").strip()
    divisions = []
    if term:
        queryset = Division.objects.visible_to(request.user).current().select_related("parent")
        lookup = {"code__startswith": term} if term.isdigit() else {"name__contains": term}
        queryset = queryset.filter(**lookup)
        divisions = list(queryset.order_by("level", "code")[:20])
    return render(request, "accounts/includes/division_options.html", {"divisions": divisions})


# --- the responsibilities table ----------------------------------------------------------------


def responsibilities_table(request):
    """Who may do what: the one table every page, API endpoint, import and export asks (administrators)."""
    if not can(request.user, "accounts.responsibilities"):
        raise PermissionDenied("只有系统管理员可以查看职责表。")
    from . import responsibilities as r

    rows = r.table_rows()
    actions = []
    for action in r.ACTIONS.values():
        actions.append({"code": action.code, "label": action.label,
                        "rows": [row for row in rows if row["action"] == action.code]})
    context = {
        "actions": actions, "reaches": r.REACHES, "tracks": r.TRACKS,
        "breadcrumbs": [_home(), {"label": "职责表", "url": ""}],
    }
    return render(request, "accounts/responsibilities.html", context)


# --- audit ------------------------------------------------------------------------------------

AUDIT_TABS = [
    ("signins", "登录记录"),
    ("users", "账号变更"),
    ("divisions", "区划变更"),
]


def audit(request):
    if not can(request.user, "accounts.audit"):
        raise PermissionDenied("只有民政部门、登记管理机关、街道和社区工作人员可以查看审计日志。")
    tabs = [*AUDIT_TABS, *((t.key, t.label) for t in audit_tabs.TABS.values())]
    tab = request.GET.get("tab")
    if tab not in dict(tabs):
        tab = "signins"
    context = {
        "tab": tab,
        "tabs": [{"key": key, "label": label, "active": key == tab} for key, label in tabs],
        "breadcrumbs": [_home(), {"label": "审计日志", "url": ""}],
    }
    if tab in audit_tabs.TABS:
        template, extra = audit_tabs.TABS[tab].build(request)
        context.update(extra, tab_template=template)
    elif tab == "signins":
        queryset = SignInEvent.objects.visible_to(request.user).select_related("division")
        filterset = SignInFilterSet(request.GET or None, queryset=queryset, request=request)
        table = SignInTable(filterset.qs)
        RequestConfig(request, paginate={"per_page": _page_size()}).configure(table)
        context.update(filter=filterset, table=table)
    else:
        if tab == "users":
            queryset = services.user_history_visible_to(request.user)
            filter_class = UserHistoryFilterSet
        else:
            queryset = services.division_history_visible_to(request.user)
            filter_class = DivisionHistoryFilterSet
        filterset = filter_class(request.GET or None, queryset=queryset.select_related("history_user"),
                                 request=request)
        records = services.with_previous(filterset.qs).order_by("-history_date", "-history_id")
        page_obj = Paginator(records, _page_size()).get_page(request.GET.get("page"))
        context.update(
            filter=filterset,
            page_obj=page_obj,
            entries=services.history_entries(page_obj.object_list, request.user),
            link_users=request.user.can_manage_accounts,
        )
    return render(request, "accounts/audit.html", context)

