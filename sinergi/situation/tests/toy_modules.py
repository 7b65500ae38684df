"""Toy providers for testing the room itself: modules of their own (`contoh`, `langsung`, ...), never
stand-ins for a real app, so a test of the room does not depend on which modules have landed. Where a
test needs a real role rule, the toy declares a real policy (the risk policy), as any module would."""

from types import SimpleNamespace

from sinergi.core.situation import AttentionItem, MapLayer, Metric, Module
from sinergi.risk.permissions import RISK as RISK_POLICY


def _readiness(user, area):
    return [
        Metric("contoh.tps_assessed_pct", "TPS sudah dinilai", 87.5, "%", "warn", "/risiko/", "contoh"),
        Metric("contoh.sangat_rawan", "TPS sangat rawan", 12, "TPS", "bad", "", "contoh"),
    ]


def _attention(user, area):
    return [
        AttentionItem(40, "TPS 005 belum dinilai", area.code, "/risiko/x/", "contoh", "H-5"),
        AttentionItem(90, "Kerusuhan di TPS 012", area.code, "/kejadian/1/", "contoh", "berat"),
    ]


def _layers(user, area):
    children = {c.code: float(i) for i, c in enumerate(area.children.all().order_by("code"), 1)}
    return [MapLayer("contoh.rawan_pct", "TPS rawan", children, "%", [(0, "#eee"), (2, "#f00")])]


def _public(area):
    return [Metric("contoh.public", "TPS rawan diumumkan Bawaslu", 42, "TPS")]


SAMPLE = SimpleNamespace(
    ABOUT=Module(label="Kerawanan TPS", order=10, policy=RISK_POLICY),
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
    return [Metric("langsung.pct", "Partisipasi saat ini", 41.2, "%", "info", "", "langsung")]


LIVE = SimpleNamespace(ABOUT=Module(label="Partisipasi pemilih", order=50, live=True), readiness=_turnout)


def _explode(*args):
    raise RuntimeError("module is broken")


BROKEN = SimpleNamespace(readiness=_explode, attention=_explode, map_layers=_explode, public_summary=_explode)
WRONG_SHAPE = SimpleNamespace(readiness=lambda user, area: [{"label": "not a Metric"}])
