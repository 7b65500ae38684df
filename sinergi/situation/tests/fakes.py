"""Fake providers for testing the room itself, independent of which modules have landed."""

from types import SimpleNamespace

from sinergi.core.situation import AttentionItem, MapLayer, Metric, Module


def _readiness(user, area):
    return [
        Metric("risk.tps_assessed_pct", "TPS sudah dinilai", 87.5, "%", "warn", "/risiko/", "risk"),
        Metric("risk.sangat_rawan", "TPS sangat rawan", 12, "TPS", "bad", "", "risk"),
    ]


def _attention(user, area):
    return [
        AttentionItem(40, "TPS 005 belum dinilai", area.code, "/risiko/x/", "risk", "H-5"),
        AttentionItem(90, "Kerusuhan di TPS 012", area.code, "/kejadian/1/", "risk", "berat"),
    ]


def _layers(user, area):
    children = {c.code: float(i) for i, c in enumerate(area.children.all().order_by("code"), 1)}
    return [MapLayer("risk.rawan_pct", "TPS rawan", children, "%", [(0, "#eee"), (2, "#f00")])]


def _public(area):
    return [Metric("risk.public", "TPS rawan diumumkan Bawaslu", 42, "TPS")]


RISK = SimpleNamespace(
    ABOUT=Module(label="Kerawanan TPS", order=10),
    readiness=_readiness,
    attention=_attention,
    map_layers=_layers,
    public_summary=_public,
)

# A provider that answers from memory (no queries), used to pin the room's own query count.
QUIET = SimpleNamespace(
    readiness=lambda user, area: [Metric("quiet.n", "Angka", 1)],
    attention=lambda user, area: [AttentionItem(10, "Hal kecil", area.code, "/", "quiet")],
    map_layers=lambda user, area: [],
)


def _turnout(user, area):
    return [Metric("turnout.pct", "Partisipasi saat ini", 41.2, "%", "info", "", "turnout")]


TURNOUT = SimpleNamespace(ABOUT=Module(label="Partisipasi pemilih", order=50, live=True), readiness=_turnout)


def _explode(*args):
    raise RuntimeError("module is broken")


BROKEN = SimpleNamespace(readiness=_explode, attention=_explode, map_layers=_explode, public_summary=_explode)
WRONG_SHAPE = SimpleNamespace(readiness=lambda user, area: [{"label": "not a Metric"}])
