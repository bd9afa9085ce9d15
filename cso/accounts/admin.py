"""The Django admin is for superusers only (see the project design); account managers use the
account pages, where the scoping rules apply."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import SignInEvent, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "role", "division", "is_active", "is_superuser", "last_login")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "phone", "division__code", "division__name")
    raw_id_fields = ("division", "created_by")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "title", "email")}),
        ("角色与区划", {"fields": ("role", "division", "must_change_password", "created_by")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "division")}),
    )

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "username", "success", "reason", "ip_address", "division")
    list_filter = ("success",)
    search_fields = ("username", "ip_address")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SignInEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
