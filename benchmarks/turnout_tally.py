"""Stored turnout roll-ups (turnout/tally.py) against the live national aggregate they replace.

On PostgreSQL, with the national data set of `turnout_burst.py` (818,090 TPS by default, four
checkpoints: 3,272,360 slots) in a database of its own, in one run:

  1. the live national aggregate of one checkpoint (what `/situasi/ID/` ran per request before),
  2. a full rebuild of every tally,
  3. an incremental refresh after N changed slots (1,000 and 10,000 by default), each checked
     against the live aggregate,
  4. the national read from the stored tallies (area + children + timeline).

    python benchmarks/turnout_tally.py [--tps 818090] [--changes 1000,10000] [--keep]

Times are medians of `--repeat` runs where a run leaves nothing behind (the live aggregate, the read);
refreshes and rebuilds run once per size (each changes the data). Ratios are to the live aggregate.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import turnout_burst  # noqa: E402

turnout_burst.DB = "sinergi_bench_tally"


def live_national(checkpoint) -> tuple:
    """The grouped aggregate `selectors.area_turnout` ran for the nation before the stored tallies."""
    from django.db.models import Count, F, Q, Sum
    from django.db.models.functions import Substr

    from sinergi.turnout import projection
    from sinergi.turnout.models import Slot

    counts = Q(voters__isnull=False, held=False)
    sums = {
        "t_expected": Count("pk"),
        "t_reported": Count("pk", filter=counts),
        "t_flagged": Count("pk", filter=Q(flagged=True)),
        "t_voters": Sum("voters", filter=counts),
        "t_dpt_reported": Sum("dpt", filter=counts),
        "t_dpt_total": Sum("dpt"),
        "t_held": Count("pk", filter=Q(held=True)),
    }
    moments = {
        "m_yy": Sum(F("voters") * F("voters"), filter=counts),
        "m_xy": Sum(F("voters") * F("dpt"), filter=counts),
        "m_xx": Sum(F("dpt") * F("dpt"), filter=counts),
    }
    rows = list(
        Slot.objects.filter(checkpoint=checkpoint)
        .annotate(stratum=Substr("tps_id", 1, 8))
        .values("stratum")
        .annotate(**sums, **moments)
        .order_by()
    )
    totals = tuple(sum(r[k] or 0 for r in rows) for k in sums)
    keys = ["t_expected", "t_dpt_total", "t_reported", "t_voters", "t_dpt_reported", "m_yy", "m_xy", "m_xx"]
    band = projection.final_band(
        projection.strata_from_rows([tuple(r[k] for k in keys) for r in rows]), float(checkpoint.expected_share)
    )
    return totals, band.pct


def stored_national(checkpoint) -> tuple:
    from sinergi.areas.models import Area
    from sinergi.turnout import selectors

    result = selectors.area_turnout(Area.objects.get(code="ID"), checkpoint.election, checkpoint)
    t = result.totals
    return (
        (t.expected_tps, t.reported_tps, t.flagged_tps, t.voters, t.dpt_reported, t.dpt_total, t.held_tps),
        result.projection.pct,
    )


def same(stored: tuple, live: tuple) -> bool:
    """Equal totals, and projections equal up to the order floats were summed in."""
    return stored[0] == live[0] and abs((stored[1] or 0) - (live[1] or 0)) < 1e-9


def timed(func, repeat: int = 1) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def report(stations: list[tuple[str, int]], checkpoint, n: int, rng: random.Random) -> None:
    """N slots of the checkpoint get numbers, as N reports would leave them (one UPDATE ... FROM VALUES)."""
    from django.db import connection
    from django.utils import timezone

    chosen = rng.sample(stations, n)
    rows = [(code, turnout_burst.voters_of(code, dpt)) for code, dpt in chosen]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE turnout_slot s SET voters = CAST(v.voters AS integer), versions = s.versions + 1, "
                f"changed_at = %s FROM (VALUES {values}) AS v (code, voters) "
                "WHERE s.checkpoint_id = %s AND s.tps_code = v.code",
                [timezone.now(), *[v for row in chunk for v in row], checkpoint.pk],
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tps", type=int, default=818_090)
    parser.add_argument("--changes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse", action="store_true", help="use the database a --keep run left")
    args = parser.parse_args()
    started = time.perf_counter()
    stations = reuse() if args.reuse else turnout_burst.build(args.tps)[0]
    print(f"built {len(stations):,} TPS in {time.perf_counter() - started:.0f} s", flush=True)
    from django.conf import settings
    from django.db import connection

    from sinergi.turnout import tally
    from sinergi.turnout.models import Checkpoint, Slot

    settings.SINERGI_TALLY_FRESH_SECONDS = 3600  # reads use the stored rows: the refreshes below are timed
    checkpoint = Checkpoint.objects.get(election__slug="bench-nasional", code="13")
    slots = Slot.objects.count()
    rng = random.Random(13)
    report(stations, checkpoint, len(stations) // 2, rng)  # half the nation has reported at 13.00
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE turnout_slot")

    live_s, live_value = timed(lambda: live_national(checkpoint), args.repeat)
    rebuild_s, _ = timed(lambda: tally.rebuild())
    rows: list[tuple[str, float, str]] = [
        ("live national aggregate (1 checkpoint, per request before)", live_s, "1.00"),
        (f"full rebuild ({slots:,} slots, 4 checkpoints)", rebuild_s, f"{rebuild_s / live_s:.1f}"),
    ]
    assert same(stored_national(checkpoint), live_value), "rebuild differs from the live aggregate"
    settings.SINERGI_TALLY_OVERLAP_SECONDS = 0  # time exactly the N changes (the overlap re-reads 30 s more)
    for n in [int(x) for x in args.changes.split(",")]:
        report(stations, checkpoint, n, rng)
        refresh_s, result = timed(lambda: tally.refresh())
        rows.append(
            (
                f"incremental refresh after {n:,} changed slots ({result.desas:,} desas)",
                refresh_s,
                f"{refresh_s / live_s:.2f}",
            )
        )
        assert same(stored_national(checkpoint), live_national(checkpoint)), f"refresh after {n} differs"
    read_s, _ = timed(lambda: read_room(checkpoint), args.repeat)
    rows.append(("national read: area + children + timeline (stored)", read_s, f"{read_s / live_s:.3f}"))
    print_table(rows, len(stations))
    if not args.keep:
        connection.close()
        turnout_burst.sql_admin(f"DROP DATABASE IF EXISTS {turnout_burst.DB}")


def reuse() -> list[tuple[str, int]]:
    import os

    os.environ.update(
        DATABASE_URL=f"{turnout_burst.SERVER_URL}/{turnout_burst.DB}",
        SINERGI_DEMO="1",
        DJANGO_SETTINGS_MODULE="sinergi.settings",
    )
    import django

    django.setup()
    from sinergi.areas.models import PollingStation
    from sinergi.turnout.models import Slot

    Slot.objects.filter(voters__isnull=False).update(voters=None, versions=0)
    return list(PollingStation.objects.order_by("code").values_list("code", "dpt_total"))


def read_room(checkpoint) -> None:
    from sinergi.accounts.models import User
    from sinergi.areas.models import Area
    from sinergi.turnout import selectors

    area = Area.objects.get(code="ID")
    user = User.objects.get(username="kpu.ri")
    selectors.area_turnout(area, checkpoint.election, checkpoint)
    selectors.children_turnout(user, area, checkpoint)
    selectors.timeline(area, checkpoint.election)


def print_table(rows: list[tuple[str, float, str]], n_tps: int) -> None:
    print(f"\n{n_tps:,} TPS; times in ms (median of repeats for the live aggregate and the read)\n")
    print("| step | ms | ratio to the live aggregate |")
    print("|---|---:|---:|")
    for name, seconds, ratio in rows:
        print(f"| {name} | {seconds * 1000:,.1f} | {ratio} |")


if __name__ == "__main__":
    main()
