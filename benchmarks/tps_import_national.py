"""`import-tps` of a national TPS file against a raw COPY of the same file, with the import's peak memory.

    python benchmarks/tps_import_national.py --database-url postgres://postgres@127.0.0.1:5432/sinergi_bench_import \
        [--tps 818090] [--code-root /tmp/import-before]

The file: `--tps` TPS (818,090 by default, the issue's national election) spread by a hash weight over every
desa/kelurahan of the shipped Kemendagri 2025 file (`sinergi/areas/data/regions_kemendagri_2025.csv.gz`, real
codes), in the import's full column format (tps_code, dpt_male, dpt_female, dpt_total, special, lat, lng,
address), generated deterministically into a temporary folder. The areas are imported once into the benchmark
database (kept between runs).

Each case runs in the same run, seconds apart:
- the baseline: `COPY bench_tps_raw FROM STDIN (FORMAT csv, HEADER)` of the same file (streamed from Python in
  1 MiB blocks) into a bare table with the same columns and no index, in one transaction;
- `sinergi import-tps FILE` through the real command (call_command) in a child process whose own peak RSS
  (`os.wait4` rusage, ru_maxrss) is the import's peak memory; the child also reports its RSS after Django
  started, before the import, and the import's time alone (not Django's start-up).
Cases: into an empty TPS table (`fresh`), then the same file again (`unchanged`: nothing to write).

`--code-root` runs the child on another checkout (e.g. the code before a change: `git worktree add`), with
this checkout's benchmark and database (the TPS and area tables are the same).
"""

import argparse
import csv
import gzip
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sinergi" / "areas" / "data"
RAW_COLUMNS = (
    "tps_code varchar(24), dpt_male integer, dpt_female integer, dpt_total integer, special boolean, "
    "lat double precision, lng double precision, address varchar(255)"
)


def desa_codes() -> list[str]:
    with gzip.open(DATA / "regions_kemendagri_2025.csv.gz", "rt", encoding="utf-8") as handle:
        return sorted(row["code"] for row in csv.DictReader(handle) if row["level"] == "desa_kelurahan")


def write_tps_file(codes: list[str], total: int, path: Path) -> None:
    """`total` TPS over the desa by a hash weight (1..9), numbered 001.. per desa; about one in 40 a
    special-location TPS, about half with coordinates, every one with an address. Deterministic."""
    weights = [1 + hashlib.sha256(code.encode()).digest()[0] % 9 for code in codes]
    scale = total / sum(weights)
    counts = [max(1, int(weight * scale)) for weight in weights]
    for index in range(total - sum(counts)):  # hand out the rounding remainder, one per desa in order
        counts[index % len(counts)] += 1
    assert sum(counts) == total
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tps_code", "dpt_male", "dpt_female", "dpt_total", "special", "lat", "lng", "address"])
        for code, count in zip(codes, counts, strict=True):
            seed = hashlib.sha256(code.encode()).digest()
            for number in range(1, count + 1):
                male, female = 150 + (seed[1] + number * 7) % 140, 140 + (seed[2] + number * 5) % 140
                located = (seed[3] + number) % 2 == 0
                lat = f"{-10.5 + (seed[4] * 256 + seed[5] + number) % 16000 / 1000:.5f}" if located else ""
                lng = f"{95.5 + (seed[6] * 256 + seed[7] + number) % 45000 / 1000:.5f}" if located else ""
                writer.writerow(
                    [f"{code}.{number:03d}", male, female, male + female, int(number % 40 == 0), lat, lng,
                     f"Jl. Poros Desa No. {number}, RT {number % 20:02d}"]
                )  # fmt: skip


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def ensure_areas() -> int:
    from sinergi.areas.area_import import import_areas
    from sinergi.areas.models import Area

    if not Area.objects.filter(level="desa_kelurahan").exists():
        import_areas(DATA / "regions_kemendagri_2025.csv.gz")
    return Area.objects.filter(level="desa_kelurahan").count()


def empty_tps() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE areas_pollingstation, core_historyentry CASCADE")
        cursor.execute("DELETE FROM areas_importbatch")
    connection.close()


def raw_copy(path: Path) -> tuple[float, int]:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_tps_raw")
        cursor.execute(f"CREATE TABLE bench_tps_raw ({RAW_COLUMNS})")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as handle:
        copy_file(cursor.cursor, handle)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_tps_raw")
        copied = cursor.fetchone()[0]
    return seconds, copied


def copy_file(cursor, handle) -> None:
    with cursor.copy("COPY bench_tps_raw FROM STDIN (FORMAT csv, HEADER)") as copy:
        while block := handle.read(1 << 20):
            copy.write(block)


def copy_then_insert(raw: float) -> float:
    """The write floor of a fresh import: the raw COPY plus one INSERT ... SELECT of the copied rows into the
    real TPS table (its 7 indexes, checks and deferred foreign keys, checked at commit); then emptied again."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO areas_pollingstation (code, desa_code, number, dpt_male, dpt_female, dpt_total, is_special, "
            "lat, lng, address) SELECT tps_code, left(tps_code, 13), right(tps_code, 3)::integer, dpt_male, "
            "dpt_female, dpt_total, special, lat, lng, address FROM bench_tps_raw"
        )
    seconds = time.perf_counter() - start
    empty_tps()
    return raw + seconds


def run_import(path: Path, url: str, code_root: Path) -> dict:
    """The command in a child process; its result and its own peak RSS (MiB)."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", str(path), "--database-url", url, "--code-root", str(code_root)],
        stdout=subprocess.PIPE,
        text=True,
    )
    out = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"import failed ({child.returncode})")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_mib": usage.ru_maxrss / 1024}


def child(path: Path, url: str, code_root: Path) -> None:
    sys.path.insert(0, str(code_root))
    os.environ.update(DATABASE_URL=url, SINERGI_DEMO="1", DJANGO_SETTINGS_MODULE="sinergi.settings")
    import io

    import django

    django.setup()
    from django.core.management import call_command

    started_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    output = io.StringIO()
    start = time.perf_counter()
    call_command("import_tps", str(path), stdout=output)
    seconds = time.perf_counter() - start
    summary = output.getvalue().strip().splitlines()[-1]
    print(json.dumps({"seconds": seconds, "started_mib": started_mib, "summary": summary}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/sinergi_bench_import")
    parser.add_argument("--tps", type=int, default=818_090)
    parser.add_argument("--code-root", type=Path, default=ROOT)
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.database_url, args.code_root)

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_django import setup_django

    ensure_database(args.database_url)
    setup_django(args.database_url)
    desa = ensure_areas()
    path = Path(tempfile.mkdtemp(prefix="sinergi-tps-")) / "tps_national.csv"
    write_tps_file(desa_codes(), args.tps, path)
    print(f"code: {args.code_root}  TPS: {args.tps:,} over {desa:,} desa  file: {path.stat().st_size / 2**20:.1f} MiB")
    from django.db import connection

    empty_tps()
    for case in ("fresh", "unchanged"):
        raw, copied = raw_copy(path)
        assert copied == args.tps
        floor = copy_then_insert(raw) if case == "fresh" else None
        result = run_import(path, args.database_url, args.code_root)
        seconds = result["seconds"]
        against_floor = f"  COPY+INSERT into the TPS table {floor:.2f} s ({seconds / floor:.2f}x)" if floor else ""
        print(
            f"{case:<9}  import-tps {seconds:.2f} s  raw COPY {raw:.2f} s  ratio {seconds / raw:.2f}x{against_floor}  "
            f"peak RSS {result['peak_mib']:.0f} MiB (after start-up {result['started_mib']:.0f} MiB)  "
            f"[{result['summary']}]"
        )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_tps_raw")
    path.unlink()


if __name__ == "__main__":
    main()
