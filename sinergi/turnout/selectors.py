"""Every turnout read, scoped through the module's policy.

Area roll-ups are read from the stored tallies (`AreaTally`, kept current by `turnout.tally`): the
same few indexed queries for a desa and for the nation, no aggregate over slots on a request. Lists of
slots (missing TPS, reviews) stay per slot: keyset pages over indexes.
"""

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from sinergi.accounts.models import Actor, Agency
from sinergi.accounts.roles import AgencyKind
from sinergi.areas.codes import NATIONAL_CODE, ancestors_of, depth_of, is_within
from sinergi.areas.models import Area, Election, within
from sinergi.core.errors import NotFound
from sinergi.core.pagination import Page, keyset_page
from sinergi.turnout import projection, tally
from sinergi.turnout.clock import election_now
from sinergi.turnout.models import AreaTally, Checkpoint, OutreachActivity, Report, Slot
from sinergi.turnout.permissions import CHASE, REPORTS, SLOT, TURNOUT_AREA
from sinergi.turnout.voting_day import checkpoint_moment, election_for, elections_around

KECAMATAN_LENGTH = 8
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
    as_of: dt.datetime | None = None  # the stored tallies are current to this moment (UTC)

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


# Per TPS below a desa (its few slots, live): annotation names must not shadow the slot's columns.
# A held slot (implausible numbers waiting for review) counts neither as reported nor in any sum; the
# stored tallies (turnout.tally) count the same way.
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
# The tally columns in `Totals` order after code and name.
_TOTALS = ["expected_tps", "reported_tps", "flagged_tps", "voters", "dpt_reported", "dpt_total", "held_tps"]
_NO_TALLY = dict.fromkeys(tally.SUMS, 0)


def _totals(code: str, name: str, row: dict[str, Any] | None) -> Totals:
    row = row or _NO_TALLY
    return Totals(code, name, *(int(row[k] or 0) for k in _TOTALS))


def area_turnout(area: Area, election: Election, checkpoint: Checkpoint) -> AreaTurnout:
    """Totals and the projected final turnout of an area at a checkpoint, from its stored tally: the
    freshness check and one indexed read at any level."""
    as_of = tally.ensure_fresh()
    row = (
        AreaTally.objects.filter(checkpoint=checkpoint, area_id=area.code)
        .values(*tally.SUMS, "projected_pct", "projected_low", "projected_high", "projected_coverage")
        .first()
    )
    share = float(checkpoint.expected_share)
    pace = float(election.government_target_pct) * share
    return AreaTurnout(
        area, election, checkpoint, _totals(area.code, area.name, row), _projected(area, row, share), pace, as_of
    )


def _projected(area: Area, row: dict[str, Any] | None, share: float) -> projection.Projection:
    """Kabupaten and above: the band stored by the refresh (over the kecamatan strata below). A kecamatan
    or a desa is its own single stratum: projected from its row's moments, as the live query did."""
    if row is None:
        return projection.Projection(None, None, None, 0.0)
    if area.level in tally.STRATIFIED:
        return projection.Projection(
            row["projected_pct"], row["projected_low"], row["projected_high"], row["projected_coverage"] or 0.0
        )
    strata = projection.strata_from_rows([tuple(row[c] for c in tally.STRATA)])
    return projection.final_band(strata, share)


def children_turnout(user: Actor, area: Area, checkpoint: Checkpoint) -> list[Totals]:
    """Totals per child area the user may read (per TPS below a desa), from the stored tallies: the
    freshness check and one query with the names (below a desa: one grouped query over its few slots)."""
    tally.ensure_fresh()
    if area.level == "desa_kelurahan":
        rows = SLOT.visible(user, _slots(checkpoint, area.code)).values("tps_id").annotate(**_SUMS).order_by("tps_id")
        return [Totals(r["tps_id"], f"TPS {r['tps_id'][-3:]}", *(r[k] or 0 for k in _SUMS)) for r in rows]
    scopes = _narrowest(REPORTS.read_scopes(user))
    # Scopes inside the area but not covering it (a user asked about an area above their own): such a
    # child shows the sum of the user's areas in it, as the slots the user may read summed before.
    inner = [s for s in scopes if s != area.code and is_within(s, area.code)]
    rows = (
        AreaTally.objects.filter(Q(parent_code=area.code) | Q(area_id__in=inner), checkpoint=checkpoint)
        .order_by("area_id")
        .values("area_id", "area__name", "parent_code", *_TOTALS)
    )
    by_code = {r["area_id"]: r for r in rows}
    children = [r for r in by_code.values() if r["parent_code"] == area.code]
    result = []
    for child in children:
        code = child["area_id"]
        if any(is_within(code, s) for s in scopes):
            result.append(_totals(code, child["area__name"] or code, child))
            continue
        parts = [by_code[s] for s in inner if is_within(s, code) and s in by_code]
        if parts:
            summed = {k: sum(p[k] for p in parts) for k in _TOTALS}
            result.append(_totals(code, child["area__name"] or code, summed))
    return result


def _narrowest(scopes: list[str]) -> list[str]:
    """The scopes not inside another one (so no area is counted twice)."""
    return [s for s in scopes if not any(o != s and is_within(s, o) for o in scopes)]


def timeline(area: Area, election: Election) -> list[tuple[Checkpoint, Totals]]:
    """The area's totals at every checkpoint of the election (for the chart): the freshness check and one
    query (each checkpoint with the area's tally, if any)."""
    tally.ensure_fresh()
    checkpoints = (
        Checkpoint.objects.filter(election=election)
        .annotate(t=FilteredRelation("tallies", condition=Q(tallies__area_id=area.code)))
        .annotate(**{f"tally_{k}": F(f"t__{k}") for k in _TOTALS})
        .order_by("order")
    )
    result: list[tuple[Checkpoint, Totals]] = []
    for c in checkpoints:
        result.append((c, Totals(area.code, area.name, *(int(getattr(c, f"tally_{k}") or 0) for k in _TOTALS))))
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
    """Per desa in the area: final turnout next to the outreach it received (the desa tallies with their
    names, and two grouped queries over the outreach activities)."""
    tally.ensure_fresh()
    rows = (
        AreaTally.objects.filter(within(area.code, "area__code"), checkpoint=checkpoint, level="desa_kelurahan")
        .order_by("area_id")
        .values("area_id", "area__name", *_TOTALS)
    )
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
    result = []
    for r in rows:
        code = r["area_id"]
        totals = _totals(code, r["area__name"] or code, r)
        o = done.get(code, {})
        result.append(
            OutreachRow(totals, o.get("n", 0), o.get("people", 0) or 0, ", ".join(sorted(groups.get(code, set()))))
        )
    return result
