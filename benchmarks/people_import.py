"""A national-size field roster through `import-people` against a raw insert of the same rows.

    python benchmarks/people_import.py [--size 1000000] [--database-url postgres://...]

A fresh database (SQLite file in a temporary folder unless --database-url) gets the shipped national
area tree and one KPPS body per desa (83,762); a deterministic roster of `--size` people spread over
every desa (fictitious numbers +62 810-xxxx-xxxx) is written as CSV. Timed, in this order:

1. raw: the same rows, already parsed, as four `executemany` INSERTs (users, people, phones,
   memberships) with ids chosen up front: no reading, no checks, no lookups;
2. import: `import_people(path)`: read and check every row, look up bodies and areas, match phones,
   derive usernames, bulk insert (after the raw rows are deleted again);
3. re-import of the same file: nothing changes.

Prints the ratios import/raw (the machines are shared and noisy; both run seconds apart).
"""

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import setup_django  # noqa: E402

DATA = ROOT / "sinergi" / "areas" / "data"
PREFIX = "+62810"  # the fictitious range of the demo (docs/decisions.md)


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def prepare() -> list[str]:
    """The national area tree and a KPPS body per desa; returns the desa codes."""
    from sinergi.accounts.models import Agency, Jurisdiction
    from sinergi.areas.area_import import import_areas
    from sinergi.areas.models import Area, Level

    Area.objects.get_or_create(code="ID", defaults={"name": "Indonesia", "level": "nasional"})
    import_areas(DATA / "regions_kemendagri_2025.csv.gz")
    desas = list(Area.objects.filter(level=Level.VILLAGE).order_by("code").values_list("code", flat=True))
    Agency.objects.bulk_create(
        [
            Agency(code=f"kpps-{code.replace('.', '-')}", name=f"KPPS {code}", kind="kpps", area_id=code)
            for code in desas
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    ids = dict(Agency.objects.filter(kind="kpps").values_list("area_id", "pk"))
    Jurisdiction.objects.bulk_create(
        [Jurisdiction(agency_id=pk, area_id=area) for area, pk in ids.items()], batch_size=5000
    )
    return desas


def roster_rows(desas: list[str], size: int) -> list[list[str]]:
    rows = []
    for i in range(size):
        desa = desas[(i * 7919) % len(desas)]
        rows.append(
            [
                f"Petugas {i:07d}",
                f"{PREFIX}{i:08d}",
                "operator_kpu",
                f"kpps-{desa.replace('.', '-')}",
                desa,
                "",
                f"Ketua KPPS TPS {1 + i % 30:03d}",
            ]
        )
    return rows


def write_csv(rows: list[list[str]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "phone", "role", "agency", "area_code", "email", "position"])
        writer.writerows(rows)


def clear_people() -> None:
    """Empty the people tables between steps (TRUNCATE on PostgreSQL: a DELETE of a million users
    makes the commit check every deferred foreign key that points at them)."""
    from django.db import connection, transaction

    tables = [
        "people_phone",
        "people_activationlink",
        "people_logincode",
        "people_person",
        "accounts_membership",
        "core_historyentry",
        "areas_importbatch",
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)}, accounts_user CASCADE")
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (
            "people_phone",
            "people_activationlink",
            "people_logincode",
            "people_person",
            "accounts_membership",
            "core_historyentry",
            "areas_importbatch",
        ):
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM accounts_user WHERE NOT is_superuser")


def raw_insert(rows: list[list[str]]) -> None:
    """The floor: parsed values straight into the four tables, ids chosen up front."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sinergi.accounts.models import Agency

    agency_ids = dict(Agency.objects.filter(kind="kpps").values_list("code", "pk"))
    now = timezone.now()
    base = 10_000_000
    users, people, phones, memberships = [], [], [], []
    for i, (name, phone, role, agency, area, email, position) in enumerate(rows):
        pk = base + i
        first, _, last = name.partition(" ")
        users.append((pk, "!unusable", False, f"u{pk}", first, last, email, False, True, now, phone, phone[1:], "id"))
        people.append((pk, pk, role, agency_ids[agency], area, position, "", now, now))
        phones.append((pk, phone, now))
        memberships.append((pk, agency_ids[agency], role, area, position))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined, phone, phone_digits, preferred_language) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            users,
        )
        cursor.executemany(
            "INSERT INTO people_person (id, user_id, role, agency_id, area_code, position, preferred_channel, "
            "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            people,
        )
        cursor.executemany("INSERT INTO people_phone (person_id, e164, created_at) VALUES (%s, %s, %s)", phones)
        cursor.executemany(
            "INSERT INTO accounts_membership (user_id, agency_id, role, area_code, title) VALUES (%s, %s, %s, %s, %s)",
            memberships,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sinergi-bench-people-"))
    setup_django(args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}", SINERGI_VAR_DIR=str(workdir))
    from django.db import connection

    from sinergi.people.models import Person
    from sinergi.people.roster_import import import_people

    print(f"database: {connection.vendor}; roster of {args.size:,} people", flush=True)
    start = time.perf_counter()
    desas = prepare()
    rows = roster_rows(desas, args.size)
    path = workdir / "roster.csv"
    write_csv(rows, path)
    print(
        f"prepared {len(desas):,} desa and their KPPS bodies, CSV {path.stat().st_size / 2**20:.0f} MiB "
        f"in {time.perf_counter() - start:.1f} s"
    )

    clear_people()
    raw = timed(lambda: raw_insert(rows))
    assert Person.objects.count() == args.size
    print(f"raw insert     {raw:8.1f} s  ({args.size / raw:,.0f} rows/s)", flush=True)
    clear_people()
    outcome = {}
    imported = timed(lambda: outcome.update(result=import_people(path)))
    assert outcome["result"].added == args.size and Person.objects.count() == args.size
    print(
        f"import-people  {imported:8.1f} s  ({args.size / imported:,.0f} rows/s)  {imported / raw:.1f}x raw", flush=True
    )
    again = timed(lambda: outcome.update(result=import_people(path)))
    assert outcome["result"].unchanged == args.size and not outcome["result"].changed
    print(f"re-import      {again:8.1f} s  (no changes)  {again / raw:.1f}x raw", flush=True)


if __name__ == "__main__":
    main()
