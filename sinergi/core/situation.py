"""The contract between the modules and the situation room.

A module that has something to say about an area's readiness or what needs attention puts a
`situation.py` in its app with any of these functions; the situation room calls those that exist
and simply leaves out modules that have not landed:

    def readiness(user, area) -> list[Metric]          # numbers for the readiness panel
    def attention(user, area) -> list[AttentionItem]   # what needs someone's action now
    def map_layers(user, area) -> list[MapLayer]       # a value per child area, for the map
    def public_summary(area) -> list[Metric]           # what may be shown to the public

`area` is an `areas.models.Area` the user may read. Every function answers from stored
roll-ups or indexed queries with a small, fixed number of queries: the room is opened for
provinces and for Indonesia too.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Metric:
    key: str  # stable id, e.g. "risk.tps_assessed_pct"
    label: str  # Indonesian label shown on the page
    value: float | int | str | None
    unit: str = ""  # "%", "TPS", "Rp", ...
    status: str = "info"  # ok | warn | bad | info
    url: str = ""  # where to act on it
    module: str = ""


@dataclass(frozen=True)
class AttentionItem:
    urgency: int  # 0 (low) .. 100 (act now); the room sorts by it
    title: str
    area_code: str
    url: str
    module: str
    detail: str = ""


@dataclass(frozen=True)
class MapLayer:
    key: str
    label: str
    values: dict[str, float] = field(default_factory=dict)  # child area code -> value
    unit: str = ""
    # ascending [threshold, css colour] pairs used to colour the map
    scale: list[tuple[float, str]] = field(default_factory=list)
