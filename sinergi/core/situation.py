"""The contract between the modules and the situation room.

A module that has something to say about an area puts a `situation.py` in its app. The room
discovers it (every app in SINERGI_APPS; `situation.providers.register` for any other) and knows no
module by name: everything it shows about a module comes from that file.

    ABOUT = Module(label=_("..."), order=10, live=False, policy=POLICY)   # who the module is
    def readiness(user, area) -> list[Metric]          # numbers for the module's card
    def verdict(user, area) -> Verdict | None          # one line: ready / needs attention / in trouble
    def attention(user, area) -> list[AttentionItem]   # what needs someone's action
    def map_layers(user, area) -> list[MapLayer]       # a value per child area, for the map
    def public_summary(area) -> list[Metric]           # numbers that may be shown to the public
    def public_items(area) -> list[PublicItem]         # texts that may be shown (e.g. public decisions)
    def clock(area) -> datetime | None                 # a simulated "now" (a replay running), else None

`clock` lets a module that replays a day (turnout's voting-day replay) move the whole room onto the
replay's clock: its date decides the phase (voting day, H-n) and the live panel's refresh. Every
function is optional. `ABOUT` may be left out too (the module is then shown by its app
label, after the others, and only the national administrator reads it in a filed report).
`area` is an `areas.models.Area` the user may read; `user` may be the room's system reader.
Labels, titles and reasons are translated when the function is called (`gettext`), never at import
(`ABOUT.label` is lazy).

One read per request, one fixed count. A module reads its state for (user, area) once, through
`module_state(name, user, area, load)`: `load` returns a small dataclass of plain data (no
translated text) from stored roll-ups or indexed queries, and readiness, verdict, attention,
map_layers and public_* derive from it. `load` issues the same number of queries whatever the
area's level (desa .. Indonesia) and whatever rows exist (no skipped query when a plan or a round
is missing, no `__in=[]` that Django drops): the room's query count is pinned at every level
(`situation/tests/test_query_counts.py`). The memo lives for one request (reset on request_started
and request_finished) and for one room build (`situation_reads()`, which the room opens around
each build, so a job building many rooms in one process never reuses a state across areas or
readers). Outside both, `module_state` simply calls `load`. A module that does not use it still
works; it just pays its own reads per function.

This module imports no domain app: the contract is plain data.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sinergi.core.request_memo import RequestMemo


class ReadPolicy(Protocol):
    """What the room asks of a module's policy: may this user read the module in this area?"""

    def can_read(self, user: Any, area_code: str) -> bool: ...


@dataclass(frozen=True)
class Module:
    """A module's own description, read by the room (never hard-coded there)."""

    label: Any  # gettext_lazy with an Indonesian msgid: the card's heading
    order: int = 100  # position among the cards and public sections (low first)
    live: bool = False  # its numbers belong to the voting-day panel rather than readiness
    # Who reads its part of a filed daily report (built as the system sees it); None: the
    # national administrator only.
    policy: ReadPolicy | None = None


@dataclass(frozen=True)
class Metric:
    key: str  # stable id, e.g. "risk.tps_assessed_pct"
    label: str  # translated label shown on the page
    value: float | int | str | None
    unit: str = ""  # "%", "TPS", "Rp", ...
    status: str = "info"  # ok | warn | bad | info
    url: str = ""  # where to act on it
    module: str = ""


@dataclass(frozen=True)
class AttentionItem:
    urgency: int  # 0 (low) .. 100 (act now)
    title: str
    area_code: str
    url: str
    module: str
    detail: str = ""
    # Can it still change the outcome now (an unanswered escalated incident, a TPS missing at the
    # last checkpoint, a tranche late before voting day)? The room ranks these first.
    actionable: bool = False
    # Since when it has been due (a deadline passed, a report came in); the room lets old items
    # sink (`situation.ranking`). None: it is about the present state, it does not age.
    since: dt.date | dt.datetime | None = None


@dataclass(frozen=True)
class MapLayer:
    key: str
    label: str
    values: dict[str, float] = field(default_factory=dict)  # child area code -> value
    unit: str = ""
    # ascending [threshold, css colour] pairs used to colour the map
    scale: list[tuple[float, str]] = field(default_factory=list)


READY, ATTENTION, TROUBLE = "ready", "attention", "trouble"
VERDICT_LEVELS = (READY, ATTENTION, TROUBLE)


@dataclass(frozen=True)
class Verdict:
    """A module's one-line answer to "are we ready?" for an area."""

    level: str  # ready | attention | trouble
    reason: str  # one translated sentence saying why
    url: str = ""  # where to act on it
    module: str = ""


@dataclass(frozen=True)
class PublicItem:
    """A text the public may read (a published decision): no people, no finer place than the area."""

    text: str
    source: str = ""  # e.g. the meeting it came from
    when: dt.datetime | None = None
    area_code: str = ""
    module: str = ""


# --- one read per request -----------------------------------------------------------------------

T = TypeVar("T")
_states = RequestMemo("core.situation")


def reader_key(user: Any) -> tuple[str, Any]:
    """Who reads: a stored user by primary key; an anonymous reader, the public (None) or the room's
    system reader by the object itself (two system readers never share a state)."""
    if user is None:
        return ("public", None)
    pk = getattr(user, "pk", None)
    return ("user", pk) if pk is not None else ("object", id(user))


def module_state(module: str, user: Any, area: Any, load: Callable[[], T]) -> T:
    """The module's state for (user, area), loaded once per request or room build (see above)."""
    states = _states.current()
    if states is None:
        return load()
    key = (module, reader_key(user), area.code)
    if key not in states:
        states[key] = load()
    return states[key]


@contextmanager
def situation_reads() -> Iterator[None]:
    """A fresh memo for one room build (or public summary); the outer one comes back afterwards."""
    with _states.fresh():
        yield
