from django.contrib import admin

from sinergi.deployment.models import LinmasPool, SecurityPattern, UnitStrength


@admin.register(SecurityPattern)
class SecurityPatternAdmin(admin.ModelAdmin):
    list_display = ["polres", "tps_class", "polri", "polri_tps", "tni", "tni_tps", "linmas_per_tps", "risk_weight"]
    list_filter = ["tps_class"]


@admin.register(UnitStrength)
class UnitStrengthAdmin(admin.ModelAdmin):
    list_display = ["agency", "personnel", "bko", "platoons", "platoon_size"]
    search_fields = ["agency__code", "agency__name"]


@admin.register(LinmasPool)
class LinmasPoolAdmin(admin.ModelAdmin):
    list_display = ["desa", "agency", "members"]
    search_fields = ["desa__code"]
