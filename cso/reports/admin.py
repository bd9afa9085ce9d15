"""Administrators' fallback for the per-province settings of the statistics table (the province's own staff
use /reports/rounds/ and /reports/columns/), and a read-only view of the tables and chases."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ColumnLayout, QuarterlyReport, Reminder, ReportingRound


@admin.register(ReportingRound)
class ReportingRoundAdmin(SimpleHistoryAdmin):
    list_display = ("province", "reference_month", "reference_day", "deadline_month", "deadline_day", "source")
    list_filter = ("province",)
    raw_id_fields = ("province", "created_by")


@admin.register(ColumnLayout)
class ColumnLayoutAdmin(SimpleHistoryAdmin):
    list_display = ("province", "updated_by", "updated_at")
    raw_id_fields = ("province", "updated_by")


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(SimpleHistoryAdmin):
    """Read-only: a table changes only through the approval chain (cso.reports.services)."""

    list_display = ("division", "year", "reference_date", "version", "status", "submitted_at", "decided_at")
    list_filter = ("status", "year")
    search_fields = ("division__name", "division__code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("division", "reference_date", "user_name", "created_at")
    raw_id_fields = ("division", "user")
