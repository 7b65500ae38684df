"""A room turned into plain data (JSON-safe), the single input of the report files and the API."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sinergi.situation.room import Room

PHASE_LABELS = {
    "before": _("Persiapan menuju hari pemungutan suara"),
    "voting_day": _("Hari pemungutan suara"),
    "after": _("Setelah pemungutan suara"),
    "none": _("Tidak ada pemilihan terjadwal"),
}
VERDICT_LABELS = {
    "ready": _("Siap"),
    "attention": _("Perlu perhatian"),
    "trouble": _("Bermasalah"),
}


def _metric(m: Any) -> dict[str, Any]:
    return {
        "key": m.key,
        "label": str(m.label),
        "value": m.value,
        "unit": str(m.unit),
        "status": m.status,
        "url": m.url,
    }


def room_snapshot(room: Room, *, generated_at: str = "") -> dict[str, Any]:
    layers = [{"key": layer.key, "label": str(layer.label), "unit": str(layer.unit)} for layer in room.layers]
    return {
        "area": {"code": room.area.code, "name": room.area.name, "level": room.area.level},
        "date": room.today.isoformat(),
        "generated_at": generated_at,
        "phase": room.phase,
        "phase_label": str(PHASE_LABELS[room.phase]),
        "overall": room.overall,
        "verdicts": [
            {
                "module": line.module,
                "label": line.label,
                "level": line.level,
                "level_label": str(VERDICT_LABELS[line.level]),
                "reason": str(line.verdict.reason),
                "url": line.verdict.url,
            }
            for line in room.verdicts
        ],
        "next_voting_date": room.next_voting_date.isoformat() if room.next_voting_date else None,
        "days_to_vote": room.days_to_vote,
        "elections": [
            {"slug": e.slug, "name": e.name, "voting_date": e.voting_date.isoformat()} for e in room.elections
        ],
        "sections": [
            {"module": s.module, "label": s.label, "live": live, "metrics": [_metric(m) for m in s.metrics]}
            for live, group in ((True, room.live), (False, room.readiness))
            for s in group
        ],
        "attention": [
            {
                "urgency": a.urgency,
                "title": a.title,
                "area_code": a.area_code,
                "detail": a.detail,
                "module": a.module,
                "url": a.url,
                "actionable": a.actionable,
                "since": a.since.isoformat() if a.since else None,
            }
            for a in room.attention
        ],
        "layers": layers,
        "children": [
            {"code": c.code, "name": c.name, "values": {layer.key: layer.values.get(c.code) for layer in room.layers}}
            for c in room.children
        ],
        "failed": room.failed,
        # Modules are shown by their labels, never their codes (the report's attention and failures).
        "module_labels": {**room.module_labels},
    }


def empty_snapshot(code: str, name: str, day: str) -> dict[str, Any]:
    """A report with no module data: the benchmark's baseline and a test fixture."""
    return {
        "area": {"code": code, "name": name, "level": "kabupaten_kota"},
        "date": day,
        "generated_at": "",
        "phase": "none",
        "phase_label": str(PHASE_LABELS["none"]),
        "overall": None,
        "verdicts": [],
        "next_voting_date": None,
        "days_to_vote": None,
        "elections": [],
        "sections": [],
        "attention": [],
        "layers": [],
        "children": [],
        "failed": [],
        "module_labels": {},
    }
