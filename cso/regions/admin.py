from django.contrib import admin

from .models import Authority


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    """The list of registering and supervising bodies; where a county's 行政审批服务管理局 registers,
    add it here and untick 负责登记 on the county 民政局 (seed 000)."""

    list_display = ("name", "kind", "division", "registers", "is_active")
    list_filter = ("kind", "registers", "is_active")
    search_fields = ("name", "division__code", "division__name")
    raw_id_fields = ("division",)
    ordering = ("division_id", "order", "name")
