"""Every read the risk pages and API use, scoped to the user through the module's policies.

Area pages read only stored roll-ups (`AreaRollup`); TPS lists use the indexed current-checklist rows.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from sinergi.accounts.models import Actor
from sinergi.areas.codes import ancestors_of, is_within
from sinergi.areas.models import Area, PollingStation, within
from sinergi.core.errors import NotFound, ValidationFailed
from sinergi.risk.models import (
    AreaRollup,
    AssessmentRound,
    Checklist,
    Indicator,
    Instrument,
    ProposedChange,
    SecurityClass,
    SecurityOverride,
    Variable,
)
from sinergi.risk.permissions import AREAS, CHECKLISTS, PROPOSALS, ROUND, TPS, round_is_closed

# --- contract 1: risk -> deployment and situation ----------------------------------------------


def security_class_map(area_code: str) -> dict[str, str]:
    """TPS code -> effective Polri security class for every TPS in the area that has one (two queries)."""
    derived: dict[str, str] = {}
    rows = (
        Checklist.objects.current()
        .filter(within(area_code, "tps__code", include_self=False), round__instrument__kind="tps")
        .order_by("round__window_start", "round_id")
        .values_list("tps_id", "security_class")
    )
    for tps, klass in rows.iterator(chunk_size=5000):
        derived[tps] = klass  # later rounds come last and win
    overrides = SecurityOverride.objects.filter(within(area_code, "tps__code", include_self=False))
    derived.update(overrides.values_list("tps_id", "security_class"))
    return derived


# Polri classes that need the most personnel: counted in the room with each manual override laid over
# the class the round derived, as `security_class_map` (and so the deployment plan) does.
PRIORITY_CLASSES = (SecurityClass.VERY, SecurityClass.SPECIAL)


class NoRound(NotFound):
    """No assessment round covers the area (the area itself may be visible)."""


# --- rounds ------------------------------------------------------------------------------------


def rounds_visible(user: Actor) -> QuerySet[AssessmentRound]:
    """Rounds over an area the user reads, or over an area that contains the user's scope."""
    return ROUND.visible(user)


def rounds_inside(user: Actor, area_code: str) -> QuerySet[AssessmentRound]:
    return rounds_visible(user).filter(within(area_code, "area__code"))


def round_get(user: Actor, slug: str) -> AssessmentRound:
    return ROUND.get(user, slug)


def round_for_area(user: Actor, area_code: str, slug: str | None) -> AssessmentRound:
    """The named round, else the latest round whose area contains `area_code`."""
    if slug:
        found: AssessmentRound | None = round_get(user, slug)
    else:
        found = rounds_visible(user).filter(area_id__in=[*ancestors_of(area_code), area_code]).first()
    if found is None:
        raise NoRound(_("tidak ada putaran penilaian yang mencakup wilayah %(code)s") % {"code": area_code})
    round_ = found
    if not is_within(area_code, round_.area_id):
        raise ValidationFailed(_("wilayah %(code)s di luar putaran %(round)s") % {"code": area_code, "round": round_.slug}, field="round")
    return round_


def proposals_for_round(user: Actor, round_: AssessmentRound) -> list[ProposedChange]:
    """Changes proposed while a round was closed: those attached to this (closed) round, and those of
    earlier rounds of the same instrument over TPS in this round's area, which this round may take."""
    source = round_.window_start
    earlier = Q(source_round__window_start__lt=source) | Q(
        source_round__window_start=source, source_round_id__lt=round_.pk
    )
    takes = (
        earlier
        & Q(instrument_slug=round_.instrument.slug)
        & within(round_.area_id, "tps__code", include_self=False)
        & (Q(applied_to__isnull=True) | Q(applied_to=round_))
    )
    rows = PROPOSALS.visible(user).filter(Q(source_round=round_) | takes).select_related("applied_to")
    found = list(rows[:500])
    for proposal in found:
        proposal.can_apply = (  # type: ignore[attr-defined]
            proposal.source_round_id != round_.pk
            and proposal.applied_at is None
            and not round_is_closed(round_)
            and PROPOSALS.can_write(user, proposal)
        )
    return found


# --- areas -------------------------------------------------------------------------------------


@dataclass
class AreaRisk:
    area: Area
    round: AssessmentRound
    rollup: AreaRollup | None
    children: list[tuple[Area, AreaRollup | None]] = field(default_factory=list)


def area_risk(user: Actor, area_or_code: Area | str, round_slug: str | None) -> AreaRisk:
    """The area's stored numbers in the named round (else the latest covering it). Pass the `Area` a
    route guard already fetched through `AREAS`, or a code to fetch it through the same rule."""
    area = area_or_code if isinstance(area_or_code, Area) else AREAS.get(user, area_or_code)
    area_code = area.code
    round_ = round_for_area(user, area_code, round_slug)
    rollup = AreaRollup.objects.filter(round=round_, area=area).first()
    return AreaRisk(area, round_, rollup)


def with_children(user: Actor, risk: AreaRisk) -> AreaRisk:
    children = AREAS.visible(user, Area.objects.active().filter(parent=risk.area)).only("code", "name", "level", "tps_count")
    rollups = {r.area_id: r for r in AreaRollup.objects.filter(round=risk.round, parent_code=risk.area.code)}
    risk.children = [(child, rollups.get(child.code)) for child in children.order_by("code")]
    return risk


def instrument_parts(instrument: Instrument) -> tuple[list[Variable], list[Indicator]]:
    variables = list(Variable.objects.filter(instrument=instrument).order_by("id"))
    indicators = list(Indicator.objects.filter(instrument=instrument).select_related("variable").order_by("position"))
    return variables, indicators


# --- TPS ---------------------------------------------------------------------------------------


def effective_class_filter(klass: str) -> Q:
    return Q(tps__risk_security_override__security_class=klass) | Q(
        tps__risk_security_override__isnull=True, security_class=klass
    )


def tps_list(
    user: Actor, round_: AssessmentRound, area_code: str, *, indicator: Indicator | None, klass: str | None
) -> QuerySet[Checklist]:
    rows = CHECKLISTS.visible(user, Checklist.objects.current().filter(round=round_).within(area_code))
    if indicator is not None:
        bit = 1 << indicator.position
        rows = rows.annotate(hit=F("yes_mask").bitand(bit)).filter(hit=bit)
    if klass:
        if klass not in SecurityClass.values:
            raise ValidationFailed(_("kelas kerawanan %(code)s tidak dikenal") % {"code": klass}, field="kelas")
        rows = rows.filter(effective_class_filter(klass))
    return rows.select_related("tps", "tps__desa", "tps__risk_security_override").order_by("tps_id")


def top_tps(user: Actor, round_: AssessmentRound, area_code: str, limit: int = 15) -> list[Checklist]:
    rows = Checklist.objects.current().filter(round=round_, score__gt=0).within(area_code)
    return list(CHECKLISTS.visible(user, rows).select_related("tps__desa").order_by("-score", "tps_id")[:limit])


@dataclass
class TpsRisk:
    station: PollingStation
    round: AssessmentRound | None
    current: Checklist | None
    versions: list[Checklist]
    override: SecurityOverride | None

    @property
    def effective_class(self) -> str | None:
        if self.override is not None:
            return self.override.security_class
        return self.current.security_class if self.current else None


def tps_risk(user: Actor, tps: PollingStation | str, round_slug: str | None = None) -> TpsRisk:
    """Pass the `PollingStation` a route guard fetched through `TPS`, or a code to fetch it the same way."""
    station = tps if isinstance(tps, PollingStation) else TPS.get(user, tps)
    tps_code = station.code
    try:
        round_: AssessmentRound | None = round_for_area(user, tps_code, round_slug)
    except NoRound:
        round_ = None
    versions = (
        list(Checklist.objects.filter(round=round_, tps=station).select_related("submitted_by").order_by("-version"))
        if round_
        else []
    )
    current = next((v for v in versions if v.is_current), None)
    return TpsRisk(station, round_, current, versions, SecurityOverride.objects.filter(tps=station).first())


def comparison(user: Actor, area_code: str, first: str, second: str) -> dict[str, Any]:
    """Two rounds' numbers for one area, indicators matched by concept across editions."""
    a = area_risk(user, area_code, first)
    b = area_risk(user, area_code, second)
    _, ind_a = instrument_parts(a.round.instrument)
    _, ind_b = instrument_parts(b.round.instrument)
    by_concept_b = {i.concept: i for i in ind_b if i.concept}
    rows = []
    for ia in ind_a:
        ib = by_concept_b.pop(ia.concept, None) if ia.concept else None
        rows.append((ia.text, _share(a.rollup, ia), _share(b.rollup, ib)))
    rows += [(ib.text, None, _share(b.rollup, ib)) for ib in by_concept_b.values()]
    return {"first": a, "second": b, "rows": rows, "children": _children_side_by_side(user, a, b)}


def _children_side_by_side(user: Actor, a: AreaRisk, b: AreaRisk) -> list[tuple[Area, Any, Any]]:
    """(child, roll-up in A, roll-up in B) for the visible children, from stored roll-ups only."""
    with_children(user, a)
    others = {r.area_id: r for r in AreaRollup.objects.filter(round=b.round, parent_code=a.area.code)}
    return [(child, rollup, others.get(child.code)) for child, rollup in a.children]


def _share(rollup: AreaRollup | None, indicator: Indicator | None) -> tuple[int, float] | None:
    if rollup is None or indicator is None:
        return None
    count = int(rollup.by_indicator.get(indicator.code, 0))
    return count, (100.0 * count / rollup.tps_assessed if rollup.tps_assessed else 0.0)
