"""The stored roll-ups (`AreaTally`, turnout/tally.py) equal the live aggregates they replace, at every
level, after any mix of writes; the refresh is incremental, catches late commits within the overlap,
runs in one process at a time, and the read path heals itself when the worker is behind."""

import contextlib
import datetime as dt
import random
import threading

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.areas.models import Area
from sinergi.core.errors import DomainError
from sinergi.turnout import projection, selectors, tally
from sinergi.turnout.models import AreaTally, Checkpoint, Slot, TallyState
from sinergi.turnout.services import ReportInput, reports_submit, slot_accept, slot_correct
from sinergi.turnout.tests.conftest import at
from testkit.builders import user_make

pytestmark = pytest.mark.django_db

CODES = [f"{desa}.00{n}" for desa in ("64.02.05.2001", "64.02.06.1001", "64.02.06.2001") for n in (1, 2, 3)]
LEVELS = ["ID", "64", "64.02", "64.02.06", "64.02.05", "64.02.06.1001", "64.02.06.2001", "64.02.05.2001"]

# The live aggregate the tallies replace (selectors before the stored roll-ups), as the reference.
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
_STRATUM = ["t_expected", "t_dpt_total", "t_reported", "t_voters", "t_dpt_reported", "m_yy", "m_xy", "m_xx"]


def live(checkpoint: Checkpoint, code: str) -> tuple[tuple, projection.Projection]:
    slots = Slot.objects.filter(checkpoint=checkpoint)
    slots = slots if code == "ID" else slots.within(code)
    length = 8 if code == "ID" else max(len(code), 8)
    rows = list(
        slots.annotate(stratum=Substr("tps_id", 1, length)).values("stratum").annotate(**_SUMS, **_MOMENTS).order_by()
    )
    totals = tuple(sum(r[k] or 0 for r in rows) for k in _SUMS)
    strata = projection.strata_from_rows([tuple(r[k] for k in _STRATUM) for r in rows])
    return totals, projection.final_band(strata, float(checkpoint.expected_share))


def stored(checkpoint: Checkpoint, code: str) -> tuple[tuple, projection.Projection]:
    result = selectors.area_turnout(Area.objects.get(code=code), checkpoint.election, checkpoint)
    t = result.totals
    totals = (t.expected_tps, t.reported_tps, t.flagged_tps, t.voters, t.dpt_reported, t.dpt_total, t.held_tps)
    return totals, result.projection


def assert_all_levels_equal_live(election) -> None:
    for checkpoint in Checkpoint.objects.filter(election=election):
        for code in LEVELS:
            (want, band), (got, stored_band) = live(checkpoint, code), stored(checkpoint, code)
            assert got == want, (checkpoint.code, code)
            for field in ("pct", "low", "high", "coverage"):
                expected = getattr(band, field)
                assert getattr(stored_band, field) == (None if expected is None else pytest.approx(expected)), (
                    checkpoint.code,
                    code,
                    field,
                )


@pytest.fixture
def bawaslu(world):
    return user_make("bawaslu.kukar", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar")


@pytest.fixture
def no_overlap(settings):
    settings.SINERGI_TALLY_OVERLAP_SECONDS = 0


def _random_write(rng: random.Random, election, operator, bawaslu, settings) -> None:
    checkpoint = rng.choice(["09", "11", "13", "final"])
    action = rng.choice(["batch", "single", "single", "held", "accept", "correct"])
    if action in ("accept", "correct"):
        slot = Slot.objects.filter(checkpoint__election=election, flagged=True).order_by("?").first()
        if slot is None:
            return
        try:
            if action == "accept":
                slot_accept(slot_id=slot.pk, actor=bawaslu, note="dicek")
            else:
                slot_correct(slot_id=slot.pk, voters=rng.randint(0, 290), actor=bawaslu, note="C1 dicek")
        except DomainError:
            pass  # the supervisor reported this TPS too: no review, as the rule says
        return
    settings.SINERGI_TURNOUT_FAST_PATH = action != "batch"
    codes = rng.sample(CODES, rng.randint(2, 5) if action == "batch" else 1)
    voters = (lambda: rng.randint(3000, 6000)) if action == "held" else (lambda: rng.randint(0, 290))
    items = [ReportInput(tps_code=code, checkpoint=checkpoint, voters=voters()) for code in codes]
    reporter = operator if rng.random() < 0.8 else bawaslu
    with contextlib.suppress(DomainError):
        reports_submit(election=election, items=items, actor=reporter, at=at(rng.choice([9, 11, 13, 15]), 5))


def test_tallies_equal_the_live_aggregate_at_every_level_after_a_random_mix_of_writes(
    election, operator, bawaslu, settings
):
    rng = random.Random(20241127)
    settings.SINERGI_TALLY_FRESH_SECONDS = 3600  # only the explicit refreshes below tally
    tally.rebuild()
    for step in range(60):
        _random_write(rng, election, operator, bawaslu, settings)
        if step % 7 == 0:
            tally.refresh()
    tally.refresh()
    assert Slot.objects.filter(held=True).exists() and Slot.objects.filter(flagged=True, held=False).exists()
    assert_all_levels_equal_live(election)
    before = dict(
        AreaTally.objects.values_list("checkpoint_id", "area_id").annotate(v=F("voters")).values_list("pk", "v")
    )
    tally.rebuild()  # from scratch: the same numbers
    assert_all_levels_equal_live(election)
    assert len(before) == AreaTally.objects.count()


def test_the_refresh_retallies_only_the_changed_desas_and_reaches_the_nation(election, operator, no_overlap):
    tally.rebuild()
    reports_submit(
        election=election, items=[ReportInput(tps_code=CODES[0], checkpoint="11", voters=120)], actor=operator
    )
    untouched = AreaTally.objects.get(area_id="64.02.06.1001", checkpoint__code="11").refreshed_at
    result = tally.refresh()
    assert (result.ran, result.desas, result.checkpoints) == (True, 1, 1)
    rows = AreaTally.objects.filter(checkpoint__code="11")
    assert {r.area_id: r.voters for r in rows if r.voters} == {
        "64.02.05.2001": 120,
        "64.02.05": 120,
        "64.02": 120,
        "64": 120,
        "ID": 120,
    }
    assert rows.get(area_id="64.02.06.1001").refreshed_at == untouched  # not re-tallied
    assert rows.get(area_id="ID").projected_pct == pytest.approx(120 / 290 / 0.74 * 100)
    assert tally.refresh().desas == 0  # nothing changed since


def test_the_overlap_catches_a_late_commit_and_a_rebuild_catches_anything(election, settings):
    settings.SINERGI_TALLY_OVERLAP_SECONDS = 30
    settings.SINERGI_TALLY_FRESH_SECONDS = 3600
    first = tally.rebuild().watermark
    assert first is not None
    Slot.objects.update(changed_at=first - dt.timedelta(hours=1))  # the slots' creation: long tallied
    checkpoint = Checkpoint.objects.get(election=election, code="13")
    # Written before the last refresh began, committed after it: its changed_at is behind the watermark.
    Slot.objects.filter(checkpoint=checkpoint, tps_id=CODES[3]).update(
        voters=200, changed_at=first - dt.timedelta(seconds=10)
    )
    Slot.objects.filter(checkpoint=checkpoint, tps_id=CODES[6]).update(
        voters=100, changed_at=first - dt.timedelta(minutes=5)
    )
    tally.refresh()
    nation = AreaTally.objects.get(checkpoint=checkpoint, area_id="ID")
    assert nation.voters == 200  # within the overlap: caught; five minutes late: beyond the bound
    tally.rebuild()
    assert AreaTally.objects.get(checkpoint=checkpoint, area_id="ID").voters == 300


def test_a_read_heals_when_the_worker_is_behind_and_not_before(election, operator, settings):
    tally.rebuild()
    area = Area.objects.get(code="ID")
    checkpoint = Checkpoint.objects.get(election=election, code="11")
    reports_submit(
        election=election, items=[ReportInput(tps_code=CODES[4], checkpoint="11", voters=150)], actor=operator
    )
    settings.SINERGI_TALLY_FRESH_SECONDS = 3600  # the change is recent: the worker has time to tally it
    assert selectors.area_turnout(area, election, checkpoint).totals.voters == 0
    settings.SINERGI_TALLY_FRESH_SECONDS = 0  # now it is older than the freshness: the read refreshes
    healed = selectors.area_turnout(area, election, checkpoint)
    assert healed.totals.voters == 150
    assert healed.as_of == TallyState.objects.get().watermark


def test_the_first_read_builds_every_tally(election, operator):
    TallyState.objects.update(watermark=None)
    AreaTally.objects.all().delete()
    reports_submit(
        election=election, items=[ReportInput(tps_code=CODES[4], checkpoint="11", voters=150)], actor=operator
    )
    checkpoint = Checkpoint.objects.get(election=election, code="11")
    assert selectors.area_turnout(Area.objects.get(code="64"), election, checkpoint).totals.voters == 150
    assert TallyState.objects.get().rebuilt_at is not None


def test_same_queries_for_a_desa_a_kecamatan_a_kabupaten_a_province_and_the_nation(election, operator, personas):
    reports_submit(
        election=election, items=[ReportInput(tps_code=CODES[4], checkpoint="11", voters=150)], actor=operator
    )
    tally.refresh()
    checkpoint = Checkpoint.objects.get(election=election, code="11")
    user = personas.coordinator
    counts = {}
    for code in ["64.02.06.1001", "64.02.06", "64.02", "64", "ID"]:
        area = Area.objects.get(code=code)
        selectors.children_turnout(user, area, checkpoint)  # the user's memberships, once per request
        with CaptureQueriesContext(connection) as queries:
            selectors.area_turnout(area, election, checkpoint)
            children = selectors.children_turnout(user, area, checkpoint)
            selectors.timeline(area, election)
        counts[code] = len(queries)
        assert children
    # Outside a request every read checks the freshness: 3 checks + the area, its children, the timeline.
    assert set(counts.values()) == {6}, counts


def test_children_are_the_child_tallies_the_user_may_read(election, operator, personas):
    reports_submit(
        election=election,
        items=[ReportInput(tps_code=c, checkpoint="11", voters=100) for c in CODES[:4]],
        actor=operator,
    )
    checkpoint = Checkpoint.objects.get(election=election, code="11")
    children = selectors.children_turnout(personas.coordinator, Area.objects.get(code="64.02"), checkpoint)
    assert [(c.code, c.name, c.voters, c.expected_tps) for c in children] == [
        ("64.02.05", "Muara Badak", 300, 3),
        ("64.02.06", "Tenggarong", 100, 6),
    ]
    # A user of one kecamatan looking at the kabupaten: only their kecamatan, as the slots they read.
    tenggarong = user_make("ppk.tenggarong", Role.KPU_OPERATOR, "64.02.06", "kpu-kukar")
    assert [
        (c.code, c.voters) for c in selectors.children_turnout(tenggarong, Area.objects.get(code="64"), checkpoint)
    ] == [("64.02", 100)]


def test_timeline_is_the_area_at_every_checkpoint(election, operator):
    reports_submit(
        election=election, items=[ReportInput(tps_code=CODES[0], checkpoint="09", voters=50)], actor=operator
    )
    points = selectors.timeline(Area.objects.get(code="64.02.05"), election)
    assert [(c.code, t.voters, t.expected_tps) for c, t in points] == [
        ("09", 50, 3),
        ("11", 0, 3),
        ("13", 0, 3),
        ("final", 0, 3),
    ]


@pytest.mark.django_db(transaction=True)
def test_one_process_refreshes_at_a_time(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite has no row locks")
    TallyState.objects.get_or_create(pk=tally.STATE_PK, defaults={"watermark": timezone.now()})
    locked, release = threading.Event(), threading.Event()

    def other_process() -> None:
        try:
            with transaction.atomic():
                TallyState.objects.select_for_update().get(pk=tally.STATE_PK)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_process)
    thread.start()
    assert locked.wait(10)
    try:
        assert tally.refresh() == tally.Result(ran=False)  # returns at once: readers use the stored rows
    finally:
        release.set()
        thread.join()
    assert tally.refresh().ran


def test_the_board_says_how_current_its_numbers_are(election, operator, personas):
    from sinergi.conftest import client_for
    from sinergi.core import formatting

    reports_submit(
        election=election, items=[ReportInput(tps_code=CODES[4], checkpoint="11", voters=150)], actor=operator
    )
    body = client_for(personas.coordinator).get("/partisipasi/64.02/live/?titik=11").content.decode()
    shown = formatting.time(TallyState.objects.get().watermark, "64.02")
    assert shown.endswith("WITA") and f'id="turnout-as-of">Angka per {shown}<' in body
