"""A room turned into plain data (JSON-safe), the single input of the report files and the API."""

from typing import Any

from sinergi.situation.room import Room

PHASE_LABELS = {
    "before": "Persiapan menuju hari pemungutan suara",
    "voting_day": "Hari pemungutan suara",
    "after": "Setelah pemungutan suara",
    "none": "Tidak ada pemilihan terjadwal",
}


def _metric(m: Any) -> dict[str, Any]:
    return {"key": m.key, "label": m.label, "value": m.value, "unit": m.unit, "status": m.status, "url": m.url}


def room_snapshot(room: Room, *, generated_at: str = "") -> dict[str, Any]:
    layers = [{"key": layer.key, "label": layer.label, "unit": layer.unit} for layer in room.layers]
    return {
        "area": {"code": room.area.code, "name": room.area.name, "level": room.area.level},
        "date": room.today.isoformat(),
        "generated_at": generated_at,
        "phase": room.phase,
        "phase_label": PHASE_LABELS[room.phase],
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
            }
            for a in room.attention
        ],
        "layers": layers,
        "children": [
            {"code": c.code, "name": c.name, "values": {layer.key: layer.values.get(c.code) for layer in room.layers}}
            for c in room.children
        ],
        "failed": room.failed,
    }


def empty_snapshot(code: str, name: str, day: str) -> dict[str, Any]:
    """A report with no module data: the benchmark's baseline and a test fixture."""
    return {
        "area": {"code": code, "name": name, "level": "kabupaten_kota"},
        "date": day,
        "generated_at": "",
        "phase": "none",
        "phase_label": PHASE_LABELS["none"],
        "next_voting_date": None,
        "days_to_vote": None,
        "elections": [],
        "sections": [],
        "attention": [],
        "layers": [],
        "children": [],
        "failed": [],
    }
