"""The situation room of one area: what the modules say, arranged for the page, the API and the
daily report. The room itself costs the same queries at any level (elections; the places below the
area: its children, or a desa's TPS; breadcrumbs on the page); every provider reads its state once
per build (`core.situation.module_state`, reset by `situation_reads` around each build) with a
fixed count of its own."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from sinergi.accounts.roles import Role
from sinergi.areas.codes import NATIONAL_CODE, ancestors_of, depth_of
from sinergi.areas.models import Area, Election, Level, within
from sinergi.atlas import selectors as area_selectors
from sinergi.atlas.permissions import AREA, AREAS
from sinergi.core.situation import (
    ATTENTION,
    READY,
    TROUBLE,
    AttentionItem,
    MapLayer,
    Metric,
    Verdict,
    situation_reads,
)
from sinergi.core.timezones import local_time, local_today
from sinergi.situation import providers
from sinergi.situation.permissions import SITUATION
from sinergi.situation.ranking import acts_now, ranked

ATTENTION_LIMIT = 30


@dataclass
class Section:
    module: str
    label: str
    metrics: list[Metric]


@dataclass
class Line:
    """One module's verdict, with the module's label for the page."""

    module: str
    label: str
    verdict: Verdict

    @property
    def level(self) -> str:
        return self.verdict.level


LEVEL_RANK = {READY: 0, ATTENTION: 1, TROUBLE: 2}


@dataclass
class Room:
    area: Area
    today: date
    phase: str  # before | voting_day | after | none
    elections: list[Election]
    next_voting_date: date | None
    readiness: list[Section]
    live: list[Section]
    attention: list[AttentionItem]
    layers: list[MapLayer]
    verdicts: list[Line] = field(default_factory=list)
    children: list[Area] = field(default_factory=list)
    breadcrumbs: list[Area] = field(default_factory=list)
    # A desa has no children to colour: its TPS are drawn as points instead.
    points: list[dict[str, Any]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def days_to_vote(self) -> int | None:
        return (self.next_voting_date - self.today).days if self.next_voting_date else None

    @property
    def modules(self) -> list[str]:
        return sorted({s.module for s in self.readiness + self.live})

    @property
    def attention_now(self) -> int:
        """How many items at the top of the attention list can still be acted on now."""
        return sum(1 for item in self.attention if acts_now(item, self.today))

    @property
    def module_labels(self) -> dict[str, str]:
        return {p.name: p.label for p in providers.providers()}

    @property
    def failed_labels(self) -> list[str]:
        labels = self.module_labels
        return [labels.get(m, m) for m in self.failed]

    @property
    def overall(self) -> str | None:
        """The worst of the modules' verdicts (None when no module gave one)."""
        if not self.verdicts:
            return None
        return max((line.level for line in self.verdicts), key=lambda level: LEVEL_RANK.get(level, 0))


class SystemViewer:
    """The reader of background reports: sees every area, like the national administrator."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None
    username = "sistem"

    def __init__(self) -> None:
        # Pre-seeds the membership cache `accounts.access.memberships_of` reads.
        self._sinergi_memberships = [(Role.ADMIN.value, NATIONAL_CODE, 0)]

    def get_full_name(self) -> str:
        return "Sistem Sinergi"


def relevant_elections(area: Area) -> list[Election]:
    """Elections whose region holds the area or lies inside it (one query)."""
    above = Q(region_id__in=[area.code, *ancestors_of(area.code)])
    inside = within(area.code, "region__code", include_self=False) if area.code != NATIONAL_CODE else Q()
    return list(Election.objects.filter(above | inside).order_by("voting_date", "slug"))


def phase_of(elections: list[Election], today: date) -> tuple[str, date | None]:
    if not elections:
        return "none", None
    days = sorted({e.voting_date for e in elections})
    if today in days:
        return "voting_day", today
    upcoming = [d for d in days if d > today]
    return ("before", upcoming[0]) if upcoming else ("after", None)


def _sections(answers: providers.Answers, live: bool) -> list[Section]:
    """The modules' cards in their declared order; `live` picks the voting-day panel's."""
    found = {p.name: p for p in providers.providers()}
    return [
        Section(m, found[m].label, metrics)
        for m, metrics in answers.by_module.items()
        if metrics and m in found and found[m].about.live == live
    ]


def _lines(answers: providers.Answers) -> list[Line]:
    found = {p.name: p for p in providers.providers()}
    return [
        Line(m, found[m].label, verdicts[0])
        for m, verdicts in answers.by_module.items()
        if verdicts and m in found and verdicts[0].level in LEVEL_RANK
    ]


def room_today(area: Area) -> date:
    """The area's local date, or a running replay's simulated date (a module's `clock`)."""
    moments = providers.ask("clock", area).flat()
    return local_time(max(moments), area.code).date() if moments else local_today(area.code)


def room_build(user: Any, area: Area, *, with_children: bool = True) -> Room:
    """The room of `area` as `user` reads it. Each module's state is read once for this build and
    forgotten after it (a job building many rooms never reuses one across areas or readers)."""
    with situation_reads():
        return _build(user, area, with_children=with_children)


def _build(user: Any, area: Area, *, with_children: bool) -> Room:
    today = room_today(area)
    elections = relevant_elections(area)
    phase, next_day = phase_of(elections, today)
    readiness = providers.ask("readiness", user, area)
    verdicts = providers.ask("verdict", user, area)
    attention = providers.ask("attention", user, area)
    # Asked at every level so the count is the same for a desa (its state is read anyway); a desa
    # shows its TPS as points instead of coloured children.
    layers = providers.ask("map_layers", user, area)
    room = Room(
        area=area,
        today=today,
        phase=phase,
        elections=elections,
        next_voting_date=next_day,
        readiness=_sections(readiness, live=False),
        live=_sections(readiness, live=True),
        attention=ranked(attention.flat(), today, ATTENTION_LIMIT),
        layers=layers.flat() if area.level != Level.VILLAGE else [],
        verdicts=_lines(verdicts),
        failed=sorted(set(readiness.failed + verdicts.failed + attention.failed + layers.failed)),
    )
    if with_children:
        room.children, room.points = places_below(user, area)
    return room


def places_below(user: Any, area: Area) -> tuple[list[Area], list[dict[str, Any]]]:
    """The area's children, or a desa's TPS as map points (at most 200): one query either way."""
    if area.level != Level.VILLAGE:
        return list(area_selectors.area_children(user, area).only("code", "name", "level")), []
    stations = area_selectors.polling_stations(user, area)[:200]
    points = ((t, t.coordinates) for t in stations)
    return [], [{"code": t.code, "name": str(t), "lat": at[0], "lng": at[1]} for t, at in points if at is not None]


def room_breadcrumbs(user: Any, area: Area) -> list[Area]:
    """The ancestors the user may open, from the nation down: one query at every level (the area
    itself is asked too, so the nation, which has no ancestor, costs the same as a desa)."""
    codes = [c for c in ancestors_of(area.code) if AREAS.can_read(user, c)]
    rows = AREA.visible(user, Area.objects.filter(code__in=[*codes, area.code])).only("code", "name", "level")
    return sorted((a for a in rows if a.code != area.code), key=lambda a: depth_of(a.code))


def home_code(user: Any) -> str | None:
    scopes = SITUATION.read_scopes(user)
    if not scopes:
        return None
    # A regency coordinator starts at the regency; the national admin at the nation.
    return scopes[0]
