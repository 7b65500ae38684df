"""Stored turnout roll-ups (`AreaTally`) per area and checkpoint, kept current from the slots.

Every write to a slot sets its `changed_at`. `refresh` re-tallies the desas of the slots changed since
the last refresh (minus `OVERLAP`: a transaction that commits late still has its earlier `changed_at`),
set-based, then their kecamatan from the desa rows (one statement per checkpoint), then the kabupaten,
province and nation rows and their projections in Python from the checkpoint's kecamatan rows (one read,
about 7,300 rows nationally). `rebuild` does the same for every area from scratch.

One process at a time: the refresh holds the `TallyState` row's lock (`SELECT ... FOR UPDATE SKIP
LOCKED`) for its transaction; a process that cannot take it returns at once and its readers use the
stored rows. A row lock lives in the transaction, so this works behind PgBouncer in transaction mode.

Readers call `ensure_fresh` (one indexed query, once per request): when slots changed more than
`SINERGI_TALLY_FRESH_SECONDS` ago are not tallied yet (the worker is behind or not running), that
request refreshes under the same lock. The worker refreshes on every pulse (`jobs.PULSES`).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr
from django.utils import timezone

from sinergi.areas.codes import NATIONAL_CODE, ancestors_of, depth_of, parent_of
from sinergi.areas.models import Election, PollingStation
from sinergi.core.batching import chunked
from sinergi.core.request_memo import RequestMemo
from sinergi.turnout import projection
from sinergi.turnout.models import AreaTally, Checkpoint, Slot, TallyState

STATE_PK = 1
DESA_LENGTH, KECAMATAN_LENGTH = 13, 8
# Past this many changed desas in one checkpoint (a quarter of the nation's), re-tallying the
# checkpoint's every desa in one grouped pass is cheaper than looking their slots up.
WHOLE_CHECKPOINT_FROM = 20_000
# Desas per slot statement (about ten TPS each).
DESA_CHUNK = 500
# Levels whose projection needs the kecamatan strata below them (stored); a kecamatan or a desa is its
# own single stratum (projected from its row when read).
STRATIFIED = ("nasional", "provinsi", "kabupaten_kota")
UPPER_LEVELS = {0: "nasional", 1: "provinsi", 2: "kabupaten_kota"}

SUMS = [
    "expected_tps",
    "reported_tps",
    "flagged_tps",
    "held_tps",
    "voters",
    "dpt_reported",
    "dpt_total",
    "m_yy",
    "m_xy",
    "m_xx",
]
_PROJECTED = ["projected_pct", "projected_low", "projected_high", "projected_coverage"]


def overlap() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "SINERGI_TALLY_OVERLAP_SECONDS", 30))


def fresh_seconds() -> float:
    return float(getattr(settings, "SINERGI_TALLY_FRESH_SECONDS", 5))


@dataclass(frozen=True)
class Result:
    ran: bool  # False: another process holds the lock (nothing was done)
    rebuilt: bool = False
    desas: int = 0  # changed (checkpoint, desa) pairs re-tallied (all of them on a rebuild: 0)
    checkpoints: int = 0
    watermark: dt.datetime | None = None


# --- the SQL ---

_TALLY = AreaTally._meta.db_table
_SLOT = Slot._meta.db_table
_COLUMNS = ["checkpoint_id", "area_code", "parent_code", "level", *SUMS, "refreshed_at"]
_INSERT = f"INSERT INTO {_TALLY} ({', '.join(_COLUMNS)}) "
_UPSERT = " ON CONFLICT (checkpoint_id, area_code) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in [*SUMS, "refreshed_at"]
)
# As `selectors` counted live: a held slot counts neither as reported nor in any sum.
_COUNTS = "s.voters IS NOT NULL AND NOT s.held"
_FROM_SLOTS = f"""SELECT s.checkpoint_id, SUBSTR(s.tps_code, 1, {DESA_LENGTH}), SUBSTR(s.tps_code, 1, {KECAMATAN_LENGTH}),
    'desa_kelurahan', COUNT(*), SUM(CASE WHEN {_COUNTS} THEN 1 ELSE 0 END), SUM(CASE WHEN s.flagged THEN 1 ELSE 0 END),
    SUM(CASE WHEN s.held THEN 1 ELSE 0 END), COALESCE(SUM(CASE WHEN {_COUNTS} THEN s.voters END), 0),
    COALESCE(SUM(CASE WHEN {_COUNTS} THEN s.dpt END), 0), COALESCE(SUM(s.dpt), 0),
    COALESCE(SUM(CASE WHEN {_COUNTS} THEN CAST(s.voters AS BIGINT) * s.voters END), 0),
    COALESCE(SUM(CASE WHEN {_COUNTS} THEN CAST(s.voters AS BIGINT) * s.dpt END), 0),
    COALESCE(SUM(CASE WHEN {_COUNTS} THEN CAST(s.dpt AS BIGINT) * s.dpt END), 0), %s
FROM {_SLOT} s"""
_GROUP_SLOTS = (
    f" GROUP BY s.checkpoint_id, SUBSTR(s.tps_code, 1, {DESA_LENGTH}), SUBSTR(s.tps_code, 1, {KECAMATAN_LENGTH})"
)
_KECAMATAN_FROM_DESA = f"""SELECT t.checkpoint_id, t.parent_code, SUBSTR(t.parent_code, 1, 5), 'kecamatan',
    {", ".join(f"SUM(t.{c})" for c in SUMS)}, %s
FROM {_TALLY} t WHERE t.checkpoint_id = %s AND t.level = 'desa_kelurahan'"""
_GROUP_TALLIES = " GROUP BY t.checkpoint_id, t.parent_code"


def _desas_tally(cursor, checkpoint_id: int, desas: list[str] | None, now: dt.datetime) -> None:
    """Upsert the desa rows of a checkpoint from its slots: the given desas, or every one (None)."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    if desas is None:
        cursor.execute(
            _INSERT + _FROM_SLOTS + " WHERE s.checkpoint_id = %s" + _GROUP_SLOTS + _UPSERT, [stamp, checkpoint_id]
        )
        return
    # Per chunk of desas: their TPS codes (the TPS table's desa index), then the slots by the unique
    # (checkpoint, TPS) index. A join here let the planner hash the checkpoint's every slot (seconds
    # nationally). A desa never spans two statements: each upsert writes whole desas.
    for chunk in chunked(sorted(desas), DESA_CHUNK):
        codes = list(PollingStation.objects.filter(desa_id__in=chunk).values_list("code", flat=True))
        if codes:
            where = f" WHERE s.checkpoint_id = %s AND s.tps_code IN ({', '.join(['%s'] * len(codes))})"
            cursor.execute(_INSERT + _FROM_SLOTS + where + _GROUP_SLOTS + _UPSERT, [stamp, checkpoint_id, *codes])


def _kecamatans_tally(cursor, checkpoint_id: int, kecamatans: list[str] | None, now: dt.datetime) -> None:
    stamp = connection.ops.adapt_datetimefield_value(now)
    if kecamatans is None:
        cursor.execute(_INSERT + _KECAMATAN_FROM_DESA + _GROUP_TALLIES + _UPSERT, [stamp, checkpoint_id])
        return
    for chunk in chunked(sorted(kecamatans)):
        where = f" AND t.parent_code IN ({', '.join(['%s'] * len(chunk))})"
        cursor.execute(
            _INSERT + _KECAMATAN_FROM_DESA + where + _GROUP_TALLIES + _UPSERT, [stamp, checkpoint_id, *chunk]
        )


# --- kabupaten, province, nation: sums and projections from the kecamatan rows ---

# Strata columns in `projection.strata_from_rows` order: (N, X, n, y, x, yy, xy, xx).
STRATA = ["expected_tps", "dpt_total", "reported_tps", "voters", "dpt_reported", "m_yy", "m_xy", "m_xx"]


def _uppers_tally(checkpoint: Checkpoint, codes: set[str] | None, now: dt.datetime) -> int:
    """Upsert the kabupaten, province and nation rows (the given codes, or all) of a checkpoint from its
    kecamatan rows, with their projections over those kecamatan strata. Returns the rows written."""
    rows = list(
        AreaTally.objects.filter(checkpoint=checkpoint, level="kecamatan")
        .order_by("area_id")
        .values_list("area_id", *SUMS)
    )
    if not rows:
        return 0
    kecamatans = np.array([r[0] for r in rows])
    sums = np.array([[int(v) for v in r[1:]] for r in rows], dtype=np.int64).reshape(-1, len(SUMS))
    strata = sums[:, [SUMS.index(c) for c in STRATA]].astype(float)
    wanted = codes if codes is not None else _uppers_of(kecamatans)
    share = float(checkpoint.expected_share)
    tallies = []
    for code in sorted(wanted):
        lo, hi = _prefix_range(kecamatans, code)
        if lo == hi:
            continue
        band = projection.final_band(projection.Strata(*(strata[lo:hi, i] for i in range(8))), share)
        level = UPPER_LEVELS[depth_of(code)]
        tallies.append(
            AreaTally(
                checkpoint=checkpoint,
                area_id=code,
                parent_code=parent_of(code),
                level=level,
                **dict(zip(SUMS, (int(v) for v in sums[lo:hi].sum(axis=0)), strict=True)),
                projected_pct=band.pct,
                projected_low=band.low,
                projected_high=band.high,
                projected_coverage=band.coverage,
                refreshed_at=now,
            )
        )
    AreaTally.objects.bulk_create(
        tallies,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["checkpoint", "area"],
        update_fields=[*SUMS, *_PROJECTED, "refreshed_at"],
    )
    return len(tallies)


def _uppers_of(kecamatans: Iterable[str]) -> set[str]:
    found = {NATIONAL_CODE}
    for code in kecamatans:
        found.update(ancestors_of(code))
    return found


def _prefix_range(sorted_codes: np.ndarray, code: str) -> tuple[int, int]:
    """The slice of the sorted kecamatan codes inside `code` ('/' sorts right after '.')."""
    if code == NATIONAL_CODE:
        return 0, len(sorted_codes)
    lo = int(np.searchsorted(sorted_codes, code + ".", side="left"))
    hi = int(np.searchsorted(sorted_codes, code + "/", side="left"))
    return lo, hi


# --- the lock ---


def _state(*, wait: bool) -> TallyState | None:
    """The state row, locked for this transaction; None when another process holds it (unless `wait`)."""
    rows = TallyState.objects.select_for_update(skip_locked=not wait).filter(pk=STATE_PK)
    state = rows.first()
    if state is None and not TallyState.objects.filter(pk=STATE_PK).exists():
        TallyState.objects.get_or_create(pk=STATE_PK)  # a flushed database (tests): the row again
        state = TallyState.objects.select_for_update(skip_locked=not wait).filter(pk=STATE_PK).first()
    return state


# --- refresh and rebuild ---


def refresh(now: dt.datetime | None = None) -> Result:
    """Re-tally the areas whose slots changed since the last refresh (less the overlap), up to the nation.
    Returns at once (`ran=False`) when another process is refreshing."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _state(wait=False)
        if state is None:
            return Result(ran=False)
        if state.watermark is None:
            return _rebuild(state, None, now)
        dirty = _changed_desas(state.watermark - overlap())
        checkpoints = Checkpoint.objects.in_bulk(list(dirty))
        with connection.cursor() as cursor:
            for checkpoint_id, desas in sorted(dirty.items()):
                _tally_checkpoint(cursor, checkpoints[checkpoint_id], desas, now)
        state.watermark = now
        state.save(update_fields=["watermark"])
    _remember(now)
    return Result(ran=True, desas=sum(len(d) for d in dirty.values()), checkpoints=len(dirty), watermark=now)


def rebuild(election: Election | None = None, now: dt.datetime | None = None) -> Result:
    """Every tally from scratch (of one election, or all): after slots are created or deleted, by the
    demo loader, `sinergi turnout-tally --rebuild`, and as a safety net. Waits for a running refresh."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _state(wait=True)
        assert state is not None
        result = _rebuild(state, election, now)
    _remember(result.watermark)
    return result


def _rebuild(state: TallyState, election: Election | None, now: dt.datetime) -> Result:
    chosen = Checkpoint.objects.all() if election is None else Checkpoint.objects.filter(election=election)
    checkpoints = list(chosen.order_by("pk"))
    AreaTally.objects.filter(checkpoint__in=checkpoints).delete()
    with connection.cursor() as cursor:
        for checkpoint in checkpoints:
            _tally_checkpoint(cursor, checkpoint, None, now)
    state.rebuilt_at = now
    if election is None:
        state.watermark = now  # an election's rebuild leaves the others' changes to the next refresh
    state.save(update_fields=["rebuilt_at", "watermark"])
    return Result(ran=True, rebuilt=True, checkpoints=len(checkpoints), watermark=state.watermark)


def _tally_checkpoint(cursor, checkpoint: Checkpoint, desas: set[str] | None, now: dt.datetime) -> None:
    if desas is not None and len(desas) >= WHOLE_CHECKPOINT_FROM:
        desas = None
    _desas_tally(cursor, checkpoint.pk, None if desas is None else sorted(desas), now)
    kecamatans = None if desas is None else sorted({d[:KECAMATAN_LENGTH] for d in desas})
    _kecamatans_tally(cursor, checkpoint.pk, kecamatans, now)
    _uppers_tally(checkpoint, None if kecamatans is None else _uppers_of(kecamatans), now)


def _changed_desas(since: dt.datetime) -> dict[int, set[str]]:
    """{checkpoint id: desa codes} of the slots changed after `since` (the changed_at index)."""
    rows = (
        Slot.objects.filter(changed_at__gt=since)
        .annotate(desa=Substr("tps_id", 1, DESA_LENGTH))
        .values_list("checkpoint_id", "desa")
        .distinct()
        .order_by()
    )
    dirty: dict[int, set[str]] = {}
    for checkpoint_id, desa in rows:
        dirty.setdefault(checkpoint_id, set()).add(desa)
    return dirty


# --- the read path ---

# Inside a request the freshness is checked once (a page reads several areas and the timeline);
# outside a request (commands, the worker, tests) every read checks.
_checked = RequestMemo("turnout.tally")


def ensure_fresh(now: dt.datetime | None = None) -> dt.datetime | None:
    """The moment the stored tallies are current to (`TallyState.watermark`), after refreshing them here
    when slots changed more than `SINERGI_TALLY_FRESH_SECONDS` ago are not tallied yet (the worker is
    behind). One indexed query; the refresh only when needed and only if no other process is in one."""
    seen = _checked.current()
    if seen is not None and "watermark" in seen:
        return seen["watermark"]
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=fresh_seconds())
    behind = Slot.objects.filter(changed_at__gt=OuterRef("watermark"), changed_at__lte=cutoff)
    row = (
        TallyState.objects.filter(pk=STATE_PK)
        .annotate(behind=Exists(behind))
        .values_list("watermark", "behind")
        .first()
    )
    watermark, pending = row if row is not None else (None, True)
    if pending or watermark is None:
        result = refresh(now)
        watermark = result.watermark or watermark
    _remember(watermark)
    return watermark


def _remember(watermark: dt.datetime | None) -> None:
    seen = _checked.current()
    if seen is not None:
        seen["watermark"] = watermark
