"""The one place that writes history rows. Services call it inside their transaction."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import Channel, HistoryEntry

# What a history row's action code reads as on a page (`{{ h.action|label:"history_action" }}`);
# a code not listed is shown as it is.
ACTION_LABELS = {
    "created": _("dibuat"),
    "create": _("dibuat"),
    "updated": _("diubah"),
    "versioned": _("versi baru"),
    "status": _("status diubah"),
    "proposed": _("diusulkan"),
    "accepted": _("diterima"),
    "answered": _("dijawab"),
    "override": _("ditetapkan manual"),
    "override_cleared": _("penetapan manual dicabut"),
    "set": _("ditetapkan"),
    "imported": _("diimpor"),
    "revoked": _("dicabut"),
    "approve": _("disetujui"),
    "cancel": _("dibatalkan"),
    "close": _("ditutup"),
    "amend": _("diadendum"),
    "generated": _("dibuat otomatis"),
    "sent": _("dikirim"),
    "granted": _("diberikan"),
    "activated": _("diaktifkan"),
}


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs."""
    return {
        name: [_plain(before.get(name)), _plain(value)] for name, value in after.items() if before.get(name) != value
    }


def history_record(
    *,
    object_type: str,
    object_key: str,
    action: str,
    actor: Any = None,
    channel: str = Channel.WEB,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    area_code: str = "",
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        object_type=object_type,
        object_key=object_key,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        channel=channel,
        changes=dict(changes or {}),
        note=note,
        area_code=area_code,
    )


def history_record_many(entries: Iterable[HistoryEntry]) -> None:
    HistoryEntry.objects.bulk_create(list(entries), batch_size=2000)


def history_for(object_type: str, object_key: str) -> QuerySet[HistoryEntry]:
    return HistoryEntry.objects.filter(object_type=object_type, object_key=object_key).select_related("actor")


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str | float | list | dict):
        return value
    return str(value)
