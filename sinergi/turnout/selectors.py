"""Every turnout read, scoped through the module's policy.

Roll-ups are aggregates over the per-slot rows of one checkpoint, narrowed by an indexed prefix on the
TPS code and grouped by a fixed-length code prefix (Kemendagri codes have one length per level), so
one query answers an area and its projection at any level, with no counter row that reports contend on.
"""

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from sinergi.accounts.models import Actor, Agency
from sinergi.accounts.roles import AgencyKind
from sinergi.areas.codes import NATIONAL_CODE, ancestors_of, depth_of
from sinergi.areas.models import Area, Election, within
from sinergi.core.errors import NotFound
from sinergi.core.pagination import Page, keyset_page
from sinergi.turnout import projection
from sinergi.turnout.clock import election_now
from sinergi.turnout.models import Checkpoint, OutreachActivity, Report, Slot
from sinergi.turnout.permissions import CHASE, REPORTS, SLOT, TURNOUT_AREA
from sinergi.turnout.voting_day import checkpoint_moment, election_for, elections_around

CODE_LENGTH = {"nasional": 2, "provinsi": 5, "kabupaten_kota": 8, "kecamatan": 13, "desa_kelurahan": 17}
KECAMATAN_LENGTH = 8
CACHED_LEVELS = {"nasional", "provinsi"}  # big subtrees: a few seconds' staleness is fine
CACHE_SECONDS = 5
MISSING_GRACE = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Totals:
    code: str
    name: str
    expected_tps: int
    reported_tps: int
    flagged_tps: int
    voters: int
    dpt_reported: int
    dpt_total: int
    held_tps: int = 0  # reported, but held out of the counts until a supervisor reviews them

    @property
    def missing_tps(self) -> int:
        return self.expected_tps - self.reported_tps - self.held_tps

    @property
    def turnout_pct(self) -> float | None:
        return round(100 * self.voters / self.dpt_reported, 2) if self.dpt_reported else None

    @property
    def reported_pct(self) -> float | None:
        return round(100 * self.reported_tps / self.expected_tps, 1) if self.expected_tps else None


@dataclass(frozen=True)
class AreaTurnout:
    area: Area
    election: Election
    checkpoint: Checkpoint
    totals: Totals
    projection: projection.Projection  # of the final turnout
    pace_pct: float  # turnout this checkpoint should show to be on course for the government target

    @property
    def target_pct(self) -> float:
        return float(self.election.government_target_pct)

    @property
    def below_pace(self) -> bool:
        pct = self.totals.turnout_pct
        return pct is not None and pct < self.pace_pct


def election_and_checkpoint(
    code: str, slug: str | None, checkpoint_code: str | None, *, now: dt.datetime | None = None
) -> tuple[Election, Checkpoint]:
    """The election and the checkpoint asked for, else the election's current checkpoint at `now`
    (default: the election's clock, which follows a running replay)."""
    election = election_for(code, slug)
    checkpoints = list(Checkpoint.objects.filter(election=election).all())
    if not checkpoints:
        raise NotFound(_("%(election)s tidak memiliki titik waktu partisipasi") % {"election": election.name})
    if checkpoint_code:
        found = next((c for c in checkpoints if c.code == checkpoint_code), None)
        if found is None:
            raise NotFound(
                _("titik waktu %(checkpoint)s tidak ada pada %(election)s")
                % {"checkpoint": checkpoint_code, "election": election.name}
            )
        return election, found
    return election, current_checkpoint(election, checkpoints, now)


def elections_with_turnout(code: str) -> list[Election]:
    return elections_around(code)


def current_checkpoint(election: Election, checkpoints: list[Checkpoint], now: dt.datetime | None = None) -> Checkpoint:
    """The last checkpoint whose time has come at the election's clock (the first one before voting
    starts; during a replay of the election, the replay's simulated time)."""
    now = now or election_now(election)
    passed = [c for c in checkpoints if checkpoint_moment(election, c) <= now]
    return passed[-1] if passed else checkpoints[0]


def _slots(checkpoint: Checkpoint, code: str) -> QuerySet[Slot]:
    slots = Slot.objects.filter(checkpoint=checkpoint)
    return slots if code == NATIONAL_CODE else slots.within(code)


# Annotation names must not shadow the columns that the moment sums multiply.
# A held slot (implausible numbers waiting for review) counts neither as reported nor in any sum.
_COUNTS = Q(voters__isnull=False, held=False)
_SUMS = {
    "t_expected": Count("pk"),
    "t_reported": Count("pk", filter=_COUNTS),
    "t_flagged": Count("pk", filter=Q(flagged=True)),
    "t_voters": Sum("voters", filter=_COUNTS),
    "t_dpt_reported": Sum("dpt", filter=_COUNTS),
    "t_dpt_total": Sum("dpt"),
    "t_held": Count("pk", filter=Q(held=True)),
}
_MOMENTS = {
    "m_yy": Sum(F("voters") * F("voters"), filter=_COUNTS),
    "m_xy": Sum(F("voters") * F("dpt"), filter=_COUNTS),
    "m_xx": Sum(F("dpt") * F("dpt"), filter=_COUNTS),
}


def area_turnout(area: Area, election: Election, checkpoint: Checkpoint) -> AreaTurnout:
    """Totals and the projected final turnout of an area at a checkpoint: one grouped query."""
    key = f"turnout:area:{checkpoint.pk}:{area.code}"
    if area.level in CACHED_LEVELS and (hit := cache.get(key)) is not None:
        return hit
    length = max(len(area.code), KECAMATAN_LENGTH) if area.code != NATIONAL_CODE else KECAMATAN_LENGTH
    rows = list(
        _slots(checkpoint, area.code)
        .annotate(stratum=Substr("tps_id", 1, length))
        .values("stratum")
        .annotate(**_SUMS, **_MOMENTS)
        .order_by()
    )
    totals = Totals(area.code, area.name, *(sum(r[k] or 0 for r in rows) for k in _SUMS))
    strata = projection.strata_from_rows(
        [
            (
                r["t_expected"],
                r["t_dpt_total"],
                r["t_reported"],
                r["t_voters"],
                r["t_dpt_reported"],
                r["m_yy"],
                r["m_xy"],
                r["m_xx"],
            )
            for r in rows
        ]
    )
    share = float(checkpoint.expected_share)
    projected = projection.final_band(strata, share)
    result = AreaTurnout(area, election, checkpoint, totals, projected, float(election.government_target_pct) * share)
    if area.level in CACHED_LEVELS:
        cache.set(key, result, CACHE_SECONDS)
    return result


def children_turnout(user: Actor, area: Area, checkpoint: Checkpoint) -> list[Totals]:
    """Totals per visible child area (per TPS below a desa) over the slots the user may read: one
    grouped query plus the names."""
    length = CODE_LENGTH[area.level]
    rows = (
        SLOT.visible(user, _slots(checkpoint, area.code))
        .annotate(child=Substr("tps_id", 1, length))
        .values("child")
        .annotate(**_SUMS)
        .order_by("child")
    )
    children = {r["child"]: r for r in rows}
    if area.level == "desa_kelurahan":
        names = {code: f"TPS {code[-3:]}" for code in children}
    else:
        names = dict(Area.objects.filter(code__in=list(children)).values_list("code", "name"))
    return [Totals(code, names.get(code, code), *(r[k] or 0 for k in _SUMS)) for code, r in children.items()]


def timeline(area: Area, election: Election) -> list[tuple[Checkpoint, Totals]]:
    """The area's totals at every checkpoint (for the chart): one grouped query."""
    key = f"turnout:timeline:{election.pk}:{area.code}"
    if area.level in CACHED_LEVELS and (hit := cache.get(key)) is not None:
        return hit
    checkpoints = list(Checkpoint.objects.filter(election=election).order_by("order"))
    slots = Slot.objects.filter(checkpoint__in=checkpoints)
    if area.code != NATIONAL_CODE:
        slots = slots.within(area.code)
    rows = {r["checkpoint_id"]: r for r in slots.values("checkpoint_id").annotate(**_SUMS).order_by()}
    empty = dict.fromkeys(_SUMS, 0)
    result = [(c, Totals(area.code, area.name, *(rows.get(c.pk, empty)[k] or 0 for k in _SUMS))) for c in checkpoints]
    if area.level in CACHED_LEVELS:
        cache.set(key, result, CACHE_SECONDS)
    return result


@dataclass(frozen=True)
class MissingRow:
    slot: Slot
    pps: list[Agency]
    last_reporter: Any


def missing_slots(user: Actor, area: Area, checkpoint: Checkpoint, *, after: str | None, limit: int = 100) -> Page:
    """TPS the user may read that have not reported this checkpoint, by code, with whom to call."""
    queryset = SLOT.visible(user, _slots(checkpoint, area.code)).filter(voters__isnull=True).select_related("tps__desa")
    page = keyset_page(queryset, key="tps_id", after=after, limit=limit)
    page.items = _with_contacts(page.items, checkpoint)
    # The KPPS reporter is a person with a private phone: named only to those who chase missing
    # reports (KPU and the coordinator, as the alerts), not to observers, finance or other sectors.
    page.items = [
        row if CHASE.can_write(user, row.slot.tps_id) else replace(row, last_reporter=None) for row in page.items
    ]
    return page


def _with_contacts(slots: list[Slot], checkpoint: Checkpoint) -> list[MissingRow]:
    desa_codes = {s.tps.desa_id for s in slots}
    pps: dict[str, list[Agency]] = {}
    for agency in Agency.objects.filter(area_id__in=desa_codes, kind__in=[AgencyKind.PPS, AgencyKind.KPPS]):
        pps.setdefault(agency.area_id, []).append(agency)
    # The KPPS is whoever reported this TPS at another checkpoint: the person to call.
    earlier = (
        Report.objects.filter(
            slot__tps_id__in=[s.tps_id for s in slots], slot__checkpoint__election_id=checkpoint.election_id
        )
        .exclude(reporter=None)
        .order_by("slot__tps_id", "-submitted_at")
        .values_list("slot__tps_id", "reporter__first_name", "reporter__username", "reporter__phone")
    )
    reporters: dict[str, dict[str, str]] = {}
    for tps, first_name, username, phone in earlier:
        reporters.setdefault(tps, {"name": first_name or username, "phone": phone})
    return [MissingRow(s, pps.get(s.tps.desa_id, []), reporters.get(s.tps_id)) for s in slots]


def missing_per_kecamatan(area: Area, checkpoint: Checkpoint) -> list[tuple[str, str, int]]:
    """(code, name, missing TPS) per kecamatan of the area that has any missing: one grouped query plus the names."""
    rows = (
        _slots(checkpoint, area.code)
        .filter(voters__isnull=True)
        .annotate(kecamatan=Substr("tps_id", 1, KECAMATAN_LENGTH))
        .values("kecamatan")
        .annotate(missing=Count("pk"))
        .order_by("kecamatan")
    )
    counts = {r["kecamatan"]: r["missing"] for r in rows}
    names = dict(Area.objects.filter(code__in=list(counts)).values_list("code", "name"))
    return [(code, names.get(code, code), missing) for code, missing in counts.items()]


def missing_tps(area: Area, checkpoint: Checkpoint) -> list[tuple[str, str, str]]:
    """(TPS code, desa code, desa name) of every TPS in the area without a report at the checkpoint,
    by code: the list the missing-TPS messages go to (reach.routing). One query."""
    return list(
        _slots(checkpoint, area.code)
        .filter(voters__isnull=True)
        .order_by("tps_id")
        .values_list("tps_id", "tps__desa_id", "tps__desa__name")
    )


def missing_grace_passed(election: Election, checkpoint: Checkpoint, now: dt.datetime | None = None) -> bool:
    return (now or election_now(election)) >= checkpoint_moment(election, checkpoint) + MISSING_GRACE


def review_slots(user: Actor, area: Area, election: Election, *, limit: int = 200) -> list[Slot]:
    """Flagged slots the user may read, waiting for a supervisor, oldest report first."""
    slots = Slot.objects.filter(checkpoint__election=election, flagged=True)
    if area.code != NATIONAL_CODE:
        slots = slots.within(area.code)
    return list(
        SLOT.visible(user, slots)
        .select_related("current__reporter", "checkpoint", "tps__desa")
        .order_by("reported_at", "pk")[:limit]
    )


def flagged_count(user: Actor, area: Area, election: Election) -> int:
    slots = Slot.objects.filter(checkpoint__election=election, flagged=True)
    return SLOT.visible(user, slots if area.code == NATIONAL_CODE else slots.within(area.code)).count()


def slot_versions(slot: Slot) -> list[Report]:
    return list(slot.reports.select_related("reporter", "reviewed_by").order_by("-version"))


def breadcrumbs(user: Actor, area: Area) -> list[Area]:
    # The policy in memory first: most users read no ancestor, and then no query is needed.
    codes = [c for c in ancestors_of(area.code) if REPORTS.can_read(user, c)]
    if not codes:
        return []
    above = Area.objects.filter(code__in=codes).only("code", "name", "level")
    return sorted(TURNOUT_AREA.visible(user, above), key=lambda a: depth_of(a.code))


@dataclass(frozen=True)
class OutreachRow:
    totals: Totals
    activities: int
    participants: int
    groups: str


def outreach_list(area: Area, *, limit: int = 100) -> list[OutreachActivity]:
    activities = OutreachActivity.objects.select_related("desa", "recorded_by")
    if area.code != NATIONAL_CODE:
        activities = activities.filter(within(area.code, "desa__code"))
    return list(activities.order_by("-held_on", "desa_id")[:limit])


def outreach_vs_turnout(user: Actor, area: Area, checkpoint: Checkpoint) -> list[OutreachRow]:
    """Per desa in the area: final turnout next to the outreach it received (two grouped queries)."""
    slots = _slots(checkpoint, area.code).annotate(child=Substr("tps_id", 1, CODE_LENGTH["kecamatan"]))
    rows = slots.values("child").annotate(**_SUMS).order_by("child")
    activities = OutreachActivity.objects.all()
    if area.code != NATIONAL_CODE:
        activities = activities.filter(within(area.code, "desa__code"))
    done = {
        r["desa_id"]: r
        for r in activities.values("desa_id").annotate(n=Count("pk"), people=Sum("participants")).order_by()
    }
    groups: dict[str, set[str]] = {}
    for desa, group in activities.values_list("desa_id", "target_group").distinct():
        groups.setdefault(desa, set()).add(group)
    names = dict(Area.objects.filter(within(area.code, "code"), level="desa_kelurahan").values_list("code", "name"))
    result = []
    for r in rows:
        code = r["child"]
        totals = Totals(code, names.get(code, code), *(r[k] or 0 for k in _SUMS))
        o = done.get(code, {})
        result.append(
            OutreachRow(totals, o.get("n", 0), o.get("people", 0) or 0, ", ".join(sorted(groups.get(code, set()))))
        )
    return result
