"""Admin for the rules as data. Agreements and the ledger are read-only here: they change only
through the services, which keep the invariants and the history."""

from django.contrib import admin

from sinergi.grants.models import Agreement, BudgetFigure, DisbursementPolicy, LedgerEntry, PolicyStep


class PolicyStepInline(admin.TabularInline):
    model = PolicyStep
    extra = 0


@admin.register(DisbursementPolicy)
class DisbursementPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "regulation"]
    inlines = [PolicyStepInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["number", "recipient", "election", "amount", "disbursed", "spent", "refunded", "status"]
    list_filter = ["status", "election"]
    search_fields = ["number", "recipient__name"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "seq", "kind", "account", "amount", "entry_date", "reference"]
    list_select_related = ["agreement"]
    search_fields = ["reference", "client_id"]


@admin.register(BudgetFigure)
class BudgetFigureAdmin(admin.ModelAdmin):
    list_display = ["label", "region", "election", "kind", "amount", "source_key"]
