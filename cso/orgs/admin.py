from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AccountLink,
    Category,
    HubMembership,
    IncubationBase,
    Leader,
    Organization,
    OrgStateSpan,
    RegistryDecision,
    RegistryRules,
    ServiceTarget,
    StatusChange,
    Venue,
)


class LeaderInline(admin.TabularInline):
    model = Leader
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "uid", "track", "org_type", "status", "division", "credit_code")
    list_filter = ("track", "org_type", "tier", "status", "party_building", "is_community_org")
    search_fields = ("name", "uid", "credit_code")
    raw_id_fields = ("division", "registration_authority", "registration_authority_division", "venue", "incubated_by",
                     "created_by")
    readonly_fields = ("uid", "status", "created_at", "updated_at")
    filter_horizontal = ("categories", "service_targets")
    inlines = [LeaderInline]


@admin.register(Category, ServiceTarget)
class TermAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "bit", "order", "is_active")
    readonly_fields = ("bit",)


@admin.register(Venue, IncubationBase)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "division")
    raw_id_fields = ("division",)
    search_fields = ("name",)


@admin.register(HubMembership)
class HubMembershipAdmin(SimpleHistoryAdmin):
    list_display = ("hub", "member", "joined_on", "left_on")
    raw_id_fields = ("hub", "member")


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("organization", "from_status", "to_status", "effective_date", "recorded_by", "recorded_at")
    raw_id_fields = ("organization", "recorded_by")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrgStateSpan)
class OrgStateSpanAdmin(admin.ModelAdmin):
    list_display = ("organization", "valid_from", "valid_to", "status", "division")
    raw_id_fields = ("organization", "division")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RegistryRules)
class RegistryRulesAdmin(SimpleHistoryAdmin):
    list_display = ("province", "min_registered_capital", "federation_min_members", "filing_level",
                    "simplified_deregistration", "updated_at")
    raw_id_fields = ("province", "updated_by")


@admin.register(AccountLink)
class AccountLinkAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organization", "base", "role", "division", "created_at")
    raw_id_fields = ("user", "organization", "base", "division", "created_by")


@admin.register(RegistryDecision)
class RegistryDecisionAdmin(admin.ModelAdmin):
    list_display = ("recorded_at", "kind", "summary", "division", "recorded_by")
    list_filter = ("kind",)
    raw_id_fields = ("organization", "division", "authority_division", "recorded_by")

    def has_change_permission(self, request, obj=None):
        return False
