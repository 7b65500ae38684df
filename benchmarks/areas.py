"""Foundation benchmarks: national imports against a raw bulk insert, and the area API against
plain SQL, on a fresh database (SQLite file by default, or --database-url postgres://...).

    python benchmarks/areas.py [--database-url URL] [--tps 435296]

Prints ratios to baselines measured in the same run (the machines are shared and noisy).
"""

import argparse
import csv
import gzip
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import setup_django  # noqa: E402

DATA = ROOT / "sinergi" / "areas" / "data"


def reset_tables() -> None:
    from django.db import connection

    from sinergi.areas.models import Area, AreaBoundary, ImportBatch, PollingStation
    from sinergi.core.models import HistoryEntry

    with connection.cursor() as cursor:
        for model in (PollingStation, AreaBoundary, HistoryEntry, ImportBatch):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
        cursor.execute(f"DELETE FROM {Area._meta.db_table} WHERE level <> 'nasional'")
    Area.objects.get_or_create(code="ID", defaults={"name": "Indonesia", "level": "nasional"})


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def area_rows() -> list[dict]:
    with gzip.open(DATA / "regions_kemendagri_2025.csv.gz", "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def raw_insert_areas(rows: list[dict]) -> None:
    from django.db import connection, transaction

    from sinergi.areas.codes import desa_kind

    values = [
        (
            r["code"],
            r["name"],
            r["level"],
            r["type"] or (desa_kind(r["code"]) if r["level"] == "desa_kelurahan" else ""),
            r["parent_code"] or "ID",
            True,
            0,
            0,
            0,
            0,
            0,
        )
        for r in rows
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO areas_area (code, name, level, kind, parent_code, is_active, children_count, tps_count, "
            "dpt_male, dpt_female, dpt_total) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            values,
        )


def synthetic_tps_csv(desa_codes: list[str], total: int, path: Path) -> list[tuple]:
    """`total` TPS spread over every desa by a hash weight; returns the rows for the raw baseline."""
    from sinergi.areas.calibration import allocate

    weights = [1 + hashlib.sha256(code.encode()).digest()[0] % 9 for code in desa_codes]
    counts = allocate(total, weights, minimum=1 if total >= len(desa_codes) else 0)
    rows = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tps_code", "dpt_male", "dpt_female", "dpt_total", "special"])
        for code, count in zip(desa_codes, counts, strict=True):
            for number in range(1, count + 1):
                male, female = 200 + number % 50, 190 + number % 40
                writer.writerow([f"{code}.{number:03d}", male, female, male + female, 0])
                rows.append((f"{code}.{number:03d}", code, number, male, female, male + female, False, ""))
    return rows


def raw_insert_tps(rows: list[tuple]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO areas_pollingstation (code, desa_code, number, dpt_male, dpt_female, dpt_total, is_special, "
            "address) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )


def bench_imports(tps_total: int, workdir: Path) -> None:
    from django.db import connection

    from sinergi.areas.area_import import import_areas
    from sinergi.areas.models import Area, PollingStation
    from sinergi.areas.tps_import import import_tps

    rows = area_rows()
    reset_tables()
    raw_areas = timed(lambda: raw_insert_areas(rows))
    reset_tables()
    sinergi_areas = timed(lambda: import_areas(DATA / "regions_kemendagri_2025.csv.gz"))
    assert Area.objects.count() == len(rows) + 1
    report("import-areas", len(rows), sinergi_areas, raw_areas)

    desa = list(Area.objects.filter(level="desa_kelurahan").order_by("code").values_list("code", flat=True))
    tps_rows = synthetic_tps_csv(desa, tps_total, workdir / "tps.csv")
    raw_tps = timed(lambda: raw_insert_tps(tps_rows))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM areas_pollingstation")
    sinergi_tps = timed(lambda: import_tps(workdir / "tps.csv"))
    assert PollingStation.objects.count() == tps_total
    assert Area.objects.get(code="ID").tps_count == tps_total
    report("import-tps", tps_total, sinergi_tps, raw_tps)
    noop = timed(lambda: import_tps(workdir / "tps.csv"))
    print(f"  re-import of the same TPS file (no changes): {noop:.2f} s")


def report(name: str, rows: int, sinergi: float, raw: float) -> None:
    print(
        f"{name}: {rows:,} rows  sinergi {sinergi:.2f} s ({rows / sinergi:,.0f} rows/s)  raw insert {raw:.2f} s  "
        f"ratio {sinergi / raw:.2f}x"
    )


def bench_area_api(repeat: int = 200) -> None:
    from django.db import connection
    from django.test import Client

    from sinergi.accounts.models import User
    from sinergi.areas.models import within

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)

    def api(code: str) -> None:
        assert client.get(f"/api/v1/areas/{code}").status_code == 200

    def plain_sql(code: str) -> None:
        from sinergi.areas.models import PollingStation

        sql, params = (
            PollingStation.objects.filter(within(code, include_self=False)).values_list("code").query.sql_with_params()
        )
        where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else "1=1"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*), SUM(dpt_total), SUM(dpt_male) FROM areas_pollingstation WHERE {where}", params
            )
            cursor.fetchone()

    for code, label in (("64", "province (Kalimantan Timur)"), ("ID", "Indonesia")):
        api_times = [timed(lambda code=code: api(code)) for _ in range(repeat)]
        sql_times = [timed(lambda code=code: plain_sql(code)) for _ in range(max(5, repeat // 20))]
        api_p50, sql_p50 = statistics.median(api_times), statistics.median(sql_times)
        print(
            f"GET /api/v1/areas/{code} {label}: p50 {api_p50 * 1000:.2f} ms, p99 "
            f"{sorted(api_times)[int(len(api_times) * 0.99) - 1] * 1000:.2f} ms; plain SQL aggregate over the TPS "
            f"table p50 {sql_p50 * 1000:.1f} ms; ratio api/sql {api_p50 / sql_p50:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--tps", type=int, default=435_296)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sinergi-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    setup_django(url)
    from django.db import connection

    print(f"database: {connection.vendor}  TPS: {args.tps:,}")
    bench_imports(args.tps, workdir)
    bench_area_api()


if __name__ == "__main__":
    main()
