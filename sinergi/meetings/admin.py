"""Meeting kinds are data: the national administrator edits the list in the admin."""

from django.contrib import admin

from sinergi.meetings.models import MeetingKind


@admin.register(MeetingKind)
class MeetingKindAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
