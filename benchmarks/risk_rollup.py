"""Risk benchmark: score and roll up a synthetic national round (435,296 TPS x 25 indicators) from the
database to stored roll-ups, against a per-row Python baseline in the same run; then serve the
national risk page and API from the stored numbers, against computing the same counts live in SQL.

    python benchmarks/risk_rollup.py [--database-url URL] [--tps 435296] [--rebuild]

The synthetic nation (38 provinces, 514 kabupaten/kota, 7,285 kecamatan, 83,762 desa) and its answers
are drawn with a fixed seed at Bawaslu's national rates; it lives in its own SQLite file
(/tmp/sinergi-bench-risk.sqlite3 by default) and is reused unless --rebuild is given.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import setup_django  # noqa: E402

SHAPE = {"provinces": 38, "regencies": 514, "districts": 7_285, "villages": 83_762}
SEED = 435296
ROUND_SLUG = "bench-national"


def split(total: int, parts: int, rng: np.random.Generator) -> np.ndarray:
    """`parts` positive integers summing to `total`, mildly uneven."""
    weights = rng.uniform(0.6, 1.4, parts)
    counts = np.maximum(1, np.floor(weights / weights.sum() * total)).astype(int)
    counts[: total - counts.sum()] += 1 if total > counts.sum() else 0
    while counts.sum() > total:
        counts[np.argmax(counts)] -= 1
    return counts


def nation(tps_total: int) -> tuple[list[tuple], list[str]]:
    """(code, name, level, parent) rows for the tree, and the TPS codes."""
    rng = np.random.default_rng(SEED)
    rows = [("ID", "Indonesia", "nasional", None)]
    provinces = [f"{11 + i:02d}" for i in range(SHAPE["provinces"])]
    rows += [(p, f"Provinsi {p}", "provinsi", "ID") for p in provinces]
    regencies = _children(provinces, SHAPE["regencies"], rng, lambda p, i: f"{p}.{i + 1:02d}")
    rows += [(c, f"Kabupaten {c}", "kabupaten_kota", c[:2]) for c in regencies]
    districts = _children(regencies, SHAPE["districts"], rng, lambda p, i: f"{p}.{i + 1:02d}")
    rows += [(c, f"Kecamatan {c}", "kecamatan", c[:5]) for c in districts]
    villages = _children(districts, SHAPE["villages"], rng, lambda p, i: f"{p}.{2001 + i}")
    rows += [(c, f"Desa {c}", "desa_kelurahan", c[:8]) for c in villages]
    tps = _children(villages, tps_total, rng, lambda p, i: f"{p}.{i + 1:03d}")
    return rows, tps


def _children(parents: list[str], total: int, rng, name) -> list[str]:
    counts = split(total, len(parents), rng)
    return [name(parent, i) for parent, n in zip(parents, counts, strict=True) for i in range(n)]


def build(tps_total: int) -> None:
    from django.db import connection, transaction

    from sinergi.accounts.models import User
    from sinergi.areas import rollup
    from sinergi.areas.models import Area
    from sinergi.risk import defaults, scoring, services
    from sinergi.risk.models import AssessmentRound
    from sinergi.risk.schemes import scheme_for

    areas, tps = nation(tps_total)
    started = time.perf_counter()
    Area.objects.get_or_create(code="ID", defaults={"name": "Indonesia", "level": "nasional"})
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO areas_area (code, name, level, kind, parent_code, is_active, children_count, tps_count,"
            " dpt_male, dpt_female, dpt_total) VALUES (%s, %s, %s, '', %s, TRUE, 0, 0, 0, 0, 0)",
            areas[1:],
        )
        cursor.executemany(
            "INSERT INTO areas_pollingstation (code, desa_code, number, dpt_male, dpt_female, dpt_total, is_special,"
            " address) VALUES (%s, %s, %s, 150, 140, 290, %s, '')",
            [(c, c[:13], int(c[14:]), int(c.endswith(".901"))) for c in tps],
        )
    rollup.recompute()
    admin = User.objects.create_superuser("bench-admin", password="bench-admin-pw")
    instrument = {i.slug: i for i in services.instruments_load_defaults()}["tps-pilkada-2024"]
    round_ = AssessmentRound.objects.create(
        instrument=instrument,
        area_id="ID",
        slug=ROUND_SLUG,
        name="Nasional (sintetis)",
        window_start="2024-11-10",
        window_end="2024-11-15",
        status="ditutup",
        is_synthetic=True,
        created_by=admin,
    )
    scheme = scheme_for(instrument)
    rates = _rates(defaults.PILKADA_2024_VARIABLES, scheme.codes)
    rng = np.random.default_rng(SEED + 1)
    yes = rng.random((len(tps), scheme.columns)) < rates[None, :]
    masks = (yes.astype(np.int64) << scheme.positions[None, :]).sum(axis=1)
    _, score, _, ranks = scoring.assess(masks, np.zeros(len(tps), dtype=bool), scheme)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO risk_checklist (round_id, tps_code, version, is_current, answers, yes_mask, score,"
            " security_class, note, evidence, channel, submitted_at) VALUES"
            " (%s, %s, 1, TRUE, '{}', %s, %s, %s, '', '', 'import', CURRENT_TIMESTAMP)",
            [
                (round_.pk, code, int(m), float(s), scoring.CLASS_NAMES[int(r)])
                for code, m, s, r in zip(tps, masks, score, ranks, strict=True)
            ],
        )
    print(f"built {len(areas):,} areas and {len(tps):,} assessed TPS in {time.perf_counter() - started:.1f} s")


def _rates(variables, codes: list[str]) -> np.ndarray:
    from sinergi.risk.defaults import NATIONAL_TPS

    demo = {i.code: i.demo_count for v in variables for i in v.indicators}
    return np.array([demo[c] / NATIONAL_TPS for c in codes])


def baseline(round_) -> tuple[int, float]:
    """The straightforward implementation: the same read, scoring and roll-up row by row in Python, ORM writes."""
    from django.db import transaction

    from sinergi.areas.codes import ancestors_of, is_within, level_of, parent_of
    from sinergi.areas.models import Area
    from sinergi.risk import schemes, scoring
    from sinergi.risk.models import SECURITY_BY_RANK, AreaRollup, Checklist

    scheme = schemes.scheme_for(round_.instrument)
    bounds = schemes.bounds_for(round_.instrument)
    codes = scheme.codes
    positions = [int(p) for p in scheme.positions]
    weights = [float(w) for w in scheme.weights]
    variable_of = [scheme.variable_codes[int(v)] for v in scheme.variable_of]
    rules = [(r.rank, [int(c) for c in r.columns], r.min_yes, r.special_location) for r in scheme.rules]
    rows = (
        Checklist.objects.current()
        .filter(round=round_)
        .order_by("tps_id")
        .values_list("id", "tps_id", "yes_mask", "score", "security_class", "tps__is_special")
    )
    rows = list(rows)
    compute_started = time.perf_counter()
    totals: dict[str, dict] = {}
    changed = []
    for pk, code, mask, old_score, old_class, special in rows:
        hit = [j for j, p in enumerate(positions) if mask >> p & 1]
        score = sum(weights[j] for j in hit)
        rank = 0
        for r_rank, columns, min_yes, on_special in rules:
            if (on_special and special) or (sum(1 for c in columns if c in hit) >= min_yes and columns):
                rank = max(rank, r_rank)
        klass = SECURITY_BY_RANK[rank]
        if abs(score - old_score) > 1e-9 or klass != old_class:
            changed.append(Checklist(id=pk, score=score, security_class=klass))
        flagged_vars = {variable_of[j] for j in hit}
        for area in [a for a in ancestors_of(code) if is_within(a, round_.area_id)]:
            t = totals.setdefault(area, {"n": 0, "f": 0, "s": 0.0, "i": {}, "v": {}, "c": {}})
            t["n"] += 1
            t["f"] += score > 0
            t["s"] += score
            for j in hit:
                t["i"][codes[j]] = t["i"].get(codes[j], 0) + 1
            for v in flagged_vars:
                t["v"][v] = t["v"].get(v, 0) + 1
            t["c"][klass] = t["c"].get(klass, 0) + 1
    tps_count = dict(Area.objects.values_list("code", "tps_count"))
    objects = []
    for area, t in totals.items():
        by_variable = {v: t["v"].get(v, 0) for v in scheme.variable_codes}
        share = sum(
            w * by_variable[v] / t["n"] for v, w in zip(scheme.variable_codes, scheme.variable_weights, strict=True)
        )
        index = round(100 * float(share) / float(scheme.variable_weights.sum()), 2)
        category = scoring.categories(np.array([index]), schemes.bounds_at(bounds, level_of(area) or ""))[0]
        objects.append(
            AreaRollup(
                round=round_,
                area_id=area,
                level=level_of(area) or "",
                parent_code=parent_of(area) or "",
                tps_total=tps_count.get(area, 0),
                tps_assessed=t["n"],
                tps_flagged=t["f"],
                score_sum=t["s"],
                index=index,
                category=category,
                by_variable=by_variable,
                by_indicator={c: t["i"].get(c, 0) for c in codes},
                by_class={c: t["c"].get(c, 0) for c in scoring.CLASS_NAMES},
            )
        )
    compute = time.perf_counter() - compute_started
    with transaction.atomic():
        Checklist.objects.bulk_update(changed, ["score", "security_class"], batch_size=2000)
        AreaRollup.objects.filter(round=round_).delete()
        AreaRollup.objects.bulk_create(objects, batch_size=2000)
    return len(objects), compute


def phases(round_) -> float:
    """Where the vectorised recompute spends its time: read, score and roll up, write."""
    from django.db import transaction

    from sinergi.risk import recompute, schemes, scoring
    from sinergi.risk.models import Checklist

    started = time.perf_counter()
    rows = list(
        Checklist.objects.current()
        .filter(round=round_)
        .order_by("tps_id")
        .values_list("id", "tps_id", "yes_mask", "score", "security_class")
    )
    ids, codes, masks, _, _ = recompute._columns(rows)
    special = recompute._special(round_.area_id, codes)
    read = time.perf_counter()
    scheme = schemes.scheme_for(round_.instrument)
    levels = recompute._rollup_levels(codes, scoring.assess(masks, special, scheme), round_.area_id)
    computed = time.perf_counter()
    with transaction.atomic():
        recompute._write_rollups(round_, levels, scheme, schemes.bounds_for(round_.instrument))
    written = time.perf_counter()
    print(
        f"  phases: read {read - started:.2f} s, score and roll up {computed - read:.2f} s,"
        f" write {len(ids) and written - computed:.2f} s"
    )
    return computed - read


def snapshot(round_) -> dict:
    from sinergi.risk.models import AreaRollup

    return {
        r[0]: r[1:]
        for r in AreaRollup.objects.filter(round=round_).values_list(
            "area_id", "tps_assessed", "tps_flagged", "index", "category", "by_indicator", "by_variable", "by_class"
        )
    }


def same(left: dict, right: dict) -> None:
    assert left.keys() == right.keys(), "baseline and vectorised roll-ups cover different areas"
    for code, a in left.items():
        b = right[code]
        assert a[:2] == b[:2] and a[3:] == b[3:] and abs(a[2] - b[2]) < 0.011, (code, a, b)


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def serve(round_) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from sinergi.accounts.models import User

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="bench-admin"))
    live_sql = (
        "SELECT substr(tps_code, 1, 2), count(*), sum(CASE WHEN score > 0 THEN 1 ELSE 0 END)"
        " FROM risk_checklist WHERE round_id = %s AND is_current GROUP BY 1"
    )

    def live() -> None:
        with connection.cursor() as cursor:
            cursor.execute(live_sql, [round_.pk])
            cursor.fetchall()

    for label, url in [("page", f"/kerawanan/wilayah/ID/?putaran={ROUND_SLUG}"), ("API", "/api/v1/risk/areas/ID")]:
        client.get(url)
        reset_queries()  # DEBUG is on in the demo settings: a full query log would hide the count
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        served = statistics.median(timed(client.get, url)[0] for _ in range(7))
        computed = statistics.median(timed(live)[0] for _ in range(3))
        print(
            f"national risk {label}: {served * 1000:.0f} ms, {len(queries)} queries; live GROUP BY of only the "
            f"province counts: {computed * 1000:.0f} ms (stored/live ratio {served / computed:.3f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="sqlite:////tmp/sinergi-bench-risk.sqlite3")
    parser.add_argument("--tps", type=int, default=435_296)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.rebuild and args.database_url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(args.database_url[len("sqlite://") :] + suffix).unlink(missing_ok=True)
    setup_django(args.database_url)
    from sinergi.risk.models import AssessmentRound
    from sinergi.risk.recompute import round_recompute

    if not AssessmentRound.objects.filter(slug=ROUND_SLUG).exists():
        build(args.tps)
    round_ = AssessmentRound.objects.select_related("instrument").get(slug=ROUND_SLUG)
    vector, result = timed(round_recompute, round_)
    reference = snapshot(round_)
    print(f"vectorised recompute, database to stored roll-ups: {vector:.2f} s, {result}")
    compute = phases(round_)
    python, (areas, python_compute) = timed(baseline, round_)
    print(f"per-row Python baseline (row-by-row scoring, ORM bulk writes): {python:.2f} s, {areas} roll-ups")
    print(f"  of which scoring and roll-up: {python_compute:.2f} s")
    same(snapshot(round_), reference)
    print(f"ratio baseline / vectorised, end to end: {python / vector:.1f}x (roll-ups identical)")
    print(f"ratio baseline / vectorised, scoring and roll-up only: {python_compute / compute:.1f}x")
    serve(round_)


if __name__ == "__main__":
    main()
