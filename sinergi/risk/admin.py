"""Instruments are data: an administrator edits variables, indicators, weights, thresholds and rules here.

Rounds point at an instrument version; to change an instrument that a round already uses, use the
"new version" action and edit the copy, so past scores stay explainable.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from sinergi.core.errors import Conflict
from sinergi.risk import recompute, services
from sinergi.risk.models import AssessmentRound, Indicator, Instrument, SecurityRule, Threshold, Variable


class VariableInline(admin.TabularInline):
    model = Variable
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "variable",
        "code",
        "position",
        "text",
        "concept",
        "answer_type",
        "weight",
        "weight_confirmed",
        "text_confirmed",
        "national_count",
    ]


class ThresholdInline(admin.TabularInline):
    model = Threshold
    extra = 0


class SecurityRuleInline(admin.TabularInline):
    model = SecurityRule
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "version", "kind", "edition", "is_partial"]
    list_filter = ["kind", "edition"]
    inlines = [VariableInline, IndicatorInline, ThresholdInline, SecurityRuleInline]
    actions = ["new_version"]

    @admin.action(description="Buat versi baru (salinan untuk diubah)")
    def new_version(self, request: HttpRequest, queryset: QuerySet[Instrument]) -> None:
        for instrument in queryset:
            copy = services.instrument_new_version(instrument=instrument, actor=request.user)
            self.message_user(request, f"{copy} dibuat", messages.SUCCESS)


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "area", "instrument", "window_start", "window_end", "status", "computed_at"]
    list_filter = ["status"]
    readonly_fields = ["instrument", "area", "created_by", "computed_at"]
    actions = ["recompute"]

    @admin.action(description="Hitung ulang skor dan rekap (setelah bobot atau aturan diubah)")
    def recompute(self, request: HttpRequest, queryset: QuerySet[AssessmentRound]) -> None:
        for round_ in queryset.select_related("instrument"):
            try:
                result = recompute.round_recompute(round_)
            except Conflict as exc:  # a closed round is immutable
                self.message_user(request, f"{round_}: {exc.detail}", messages.ERROR)
                continue
            self.message_user(request, f"{round_}: {result.tps} TPS, {result.areas} rekap", messages.SUCCESS)
