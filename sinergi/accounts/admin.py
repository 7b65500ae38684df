from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sinergi.accounts.models import Agency, ApiToken, Jurisdiction, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("agency", "area")


@admin.register(User)
class SinergiUserAdmin(UserAdmin):
    inlines = [MembershipInline]


class JurisdictionInline(admin.TabularInline):
    model = Jurisdiction
    extra = 0
    raw_id_fields = ("area",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "area")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("area", "parent")
    inlines = [JurisdictionInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash")
