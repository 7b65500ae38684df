"""Voting-day settings that are data: checkpoints and quality rules (national admins only)."""

from django.contrib import admin

from sinergi.turnout.models import Checkpoint, QualityRule


@admin.register(QualityRule)
class QualityRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "enabled", "params")
    list_editable = ("enabled",)


@admin.register(Checkpoint)
class CheckpointAdmin(admin.ModelAdmin):
    list_display = ("election", "order", "code", "label", "local_time", "is_final", "expected_share")
    list_filter = ("election",)
