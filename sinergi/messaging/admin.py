from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm

from sinergi.messaging.models import InboundMessage, MessageTemplate, OptOut, OutboundMessage
from sinergi.messaging.seed_templates import TEMPLATES
from sinergi.messaging.templates import placeholders

SEEDED = {key: placeholders(indonesian) for key, _d, indonesian, _e in TEMPLATES}


class TemplateForm(ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["key", "language", "description", "text"]

    def clean(self):
        data = super().clean() or {}
        key, text = data.get("key"), data.get("text") or ""
        try:
            used = placeholders(text)
        except ValueError as problem:
            raise ValidationError({"text": f"format tidak sah: {problem}"}) from problem
        unknown = used - SEEDED.get(str(key), used)
        if unknown:
            raise ValidationError({"text": f"isian tidak dikenal untuk {key}: {', '.join(sorted(unknown))}"})
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = TemplateForm
    list_display = ["key", "language", "description", "updated_at"]
    list_filter = ["language"]
    search_fields = ["key", "text"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "channel", "provider", "address", "purpose", "status", "reason", "created_at"]
    list_filter = ["status", "channel", "provider"]
    search_fields = ["address", "batch", "provider_message_id"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "channel", "address", "keyword", "in_reply_to", "received_at"]
    list_filter = ["channel"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(OptOut)
