from django.contrib import admin

from sinergi.incidents.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Categories and their routing are data the national admin edits (DESIGN §10: doctrine is data)."""

    list_display = [
        "code",
        "name",
        "sms_keywords",
        "route_kinds",
        "indicator_code",
        "default_severity",
        "order",
        "is_active",
    ]
    list_editable = ["order", "is_active"]
    search_fields = ["code", "name", "sms_keywords"]
