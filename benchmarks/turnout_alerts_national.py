"""`turnout-alerts` for a national election against the SQL aggregate behind it, on PostgreSQL.

Builds (once; `--reuse` keeps and reuses it) a national election in a database of its own: the
synthetic tree of `turnout_burst.py` with 818,090 TPS (3,272,360 slots over 4 checkpoints), 380,000
reports at checkpoint 13, and the KPU side of every kecamatan: a KPU office per provinsi and kabupaten
and a PPK per kecamatan, one operator each (a tenth of them reading English), so every kecamatan's notice
has recipients. `--roster-provinces N` adds the field roster of the first N provinsi (a KPPS chair per
TPS and a PPS member per desa, each with a phone), whose missing TPS also get messages.

Per run (the notices, alerts and messages of earlier runs deleted first):
  1. the aggregate: the one grouped query of missing TPS per kecamatan (raw SQL), best of `--repeat`;
  2. the alert run: `missing_alerts_send` for checkpoint 13 after its grace, median of `--repeat`;
  3. the re-run at the same moment (nothing new is sent), once.

    python benchmarks/turnout_alerts_national.py [--tps 818090] [--reuse] [--keep] [--roster-provinces 0]

The database (`sinergi_bench_alerts`) is dropped at the end unless `--keep`.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DB = "sinergi_bench_alerts"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
REPORTED = 380_000
SLUG = "bench-nasional"


def sql_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def django_setup() -> None:
    os.environ.update(DATABASE_URL=f"{SERVER_URL}/{DB}", SINERGI_DEMO="1", DJANGO_SETTINGS_MODULE="sinergi.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.SINERGI_SMS_PROVIDER = "android"
    settings.SINERGI_ANDROID_SMS_URL = "http://127.0.0.1:9/android"
    settings.SINERGI_MESSAGING_CHANNEL_ORDER = ["sms", "whatsapp", "telegram", "email"]
    settings.SINERGI_MESSAGING_DELIVER_ON_COMMIT = False  # queue only: delivery is not what is measured
    settings.SINERGI_NOTIFY_WEBHOOK = ""


def build(n_tps: int) -> None:
    from turnout_burst import copy_rows, synthetic_tree

    sql_admin(f"DROP DATABASE IF EXISTS {DB}")
    sql_admin(f"CREATE DATABASE {DB}")
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    areas, stations = synthetic_tree(n_tps)
    copy_rows(areas, stations)
    election = election_make()
    report_share(election)
    staff_make()
    print(f"built {n_tps:,} TPS in {time.perf_counter() - started:.0f} s")


def election_make():
    import datetime as dt

    from sinergi.areas.models import Election
    from sinergi.turnout.setup import election_prepare

    election = Election.objects.create(
        slug=SLUG,
        name="Benchmark nasional",
        kind="pemilu",
        region_id="ID",
        voting_date=dt.date(2024, 2, 14),
        time_zone="Asia/Jakarta",
    )
    print(f"slots: {election_prepare(election):,}")
    return election


def report_share(election) -> None:
    """REPORTED TPS (a deterministic spread over the nation) reported at checkpoint 13."""
    from django.db import connection

    from sinergi.turnout.models import Checkpoint

    checkpoint = Checkpoint.objects.get(election=election, code="13")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE turnout_slot SET voters = dpt / 2, versions = 1 WHERE id IN ("
            " SELECT id FROM turnout_slot WHERE checkpoint_id = %s ORDER BY md5(tps_code) LIMIT %s)",
            [checkpoint.pk, REPORTED],
        )
        cursor.execute("ANALYZE")


def _users(names: list[str]) -> dict[str, int]:
    from sinergi.accounts.models import User

    User.objects.bulk_create(
        [
            User(username=n, password="!", first_name=n, preferred_language="en" if i % 10 == 0 else "id")
            for i, n in enumerate(names)
        ],
        batch_size=5000,
    )
    return dict(User.objects.filter(username__in=names).values_list("username", "pk"))


def _offices(rows: list[tuple[str, str, str]], role: str) -> dict[str, int]:
    """(agency code, kind, area) -> an agency covering its area with one member of `role` each; users by agency."""
    from sinergi.accounts.models import Agency, Jurisdiction, Membership

    Agency.objects.bulk_create(
        [Agency(code=code, name=code.upper(), kind=kind, area_id=area) for code, kind, area in rows], batch_size=5000
    )
    ids = dict(Agency.objects.filter(code__in=[r[0] for r in rows]).values_list("code", "pk"))
    Jurisdiction.objects.bulk_create(
        [Jurisdiction(agency_id=ids[code], area_id=area) for code, _k, area in rows], batch_size=5000
    )
    users = _users([f"op-{code}" for code, _k, _a in rows])
    Membership.objects.bulk_create(
        [
            Membership(user_id=users[f"op-{code}"], agency_id=ids[code], role=role, area_id=area)
            for code, _k, area in rows
        ],
        batch_size=5000,
    )
    return {code: users[f"op-{code}"] for code, _k, _a in rows}


def staff_make() -> None:
    from sinergi.accounts.roles import AgencyKind, Role
    from sinergi.areas.models import Area

    levels = dict.fromkeys(["provinsi", "kabupaten_kota", "kecamatan"])
    for level in levels:
        levels[level] = list(Area.objects.filter(level=level).values_list("code", flat=True))
    rows = [(f"kpu-{c.replace('.', '')}", AgencyKind.KPU, c) for c in levels["provinsi"] + levels["kabupaten_kota"]]
    rows += [(f"ppk-{c.replace('.', '')}", AgencyKind.PPK, c) for c in levels["kecamatan"]]
    _offices(rows, Role.KPU_OPERATOR)
    print(f"staff: {len(rows):,} offices, one operator each")


def roster_ensure(provinces: int) -> None:
    """A KPPS chair per TPS and a PPS member per desa of the first `provinces` provinsi (each with a phone)."""
    from django.db import connection

    from sinergi.accounts.roles import AgencyKind, Role
    from sinergi.areas.models import Area, PollingStation
    from sinergi.people.models import Person, Phone

    for province in sorted(Area.objects.filter(level="provinsi").values_list("code", flat=True))[:provinces]:
        if Person.objects.filter(area__code__startswith=province + ".").exists():
            continue
        started = time.perf_counter()
        desas = list(
            Area.objects.filter(level="desa_kelurahan", code__startswith=province + ".").values_list("code", flat=True)
        )
        tps = list(PollingStation.objects.filter(desa__code__startswith=province + ".").values_list("code", "desa_id"))
        pps = _offices([(f"pps-{d.replace('.', '')}", AgencyKind.PPS, d) for d in desas], Role.KPU_OPERATOR)
        kpps = _offices([(f"kpps-{t.replace('.', '')}", AgencyKind.KPPS, d) for t, d in tps], Role.KPU_OPERATOR)
        people = [Person(user_id=pps[f"pps-{d.replace('.', '')}"], role=Role.KPU_OPERATOR, area_id=d) for d in desas]
        people += [
            Person(user_id=kpps[f"kpps-{t.replace('.', '')}"], role=Role.KPU_OPERATOR, area_id=d, tps_id=t)
            for t, d in tps
        ]
        Person.objects.bulk_create(people, batch_size=5000)
        ids = Person.objects.filter(area__code__startswith=province + ".").values_list("pk", flat=True)
        Phone.objects.bulk_create([Phone(person_id=pk, e164=f"+62812{pk:08d}") for pk in ids], batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have by voting day
        print(
            f"roster of {province}: {len(desas):,} PPS, {len(tps):,} KPPS chairs in {time.perf_counter() - started:.0f} s"
        )


def reset() -> None:
    from sinergi.accounts.models import Notification
    from sinergi.messaging.models import OutboundMessage
    from sinergi.reach.models import AlertKind, AlertSent

    AlertSent.objects.filter(kind=AlertKind.MISSING_TPS).delete()
    OutboundMessage.objects.filter(purpose="missing_tps").delete()
    Notification.objects.filter(source="turnout").delete()


def aggregate(checkpoint_id: int) -> tuple[float, int, int]:
    """The SQL behind the alerts: missing TPS per kecamatan, one grouped query (seconds, kecamatan, TPS)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(tps_code, 1, 8), count(*) FROM turnout_slot"
            " WHERE checkpoint_id = %s AND voters IS NULL GROUP BY 1",
            [checkpoint_id],
        )
        rows = cursor.fetchall()
    return time.perf_counter() - started, len(rows), sum(n for _k, n in rows)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def counts() -> dict[str, int]:
    from sinergi.accounts.models import Notification
    from sinergi.messaging.models import OutboundMessage

    return {
        "notices": Notification.objects.filter(source="turnout").count(),
        "messages": OutboundMessage.objects.filter(purpose="missing_tps").count(),
    }


def measure(repeat: int) -> None:
    import datetime as dt

    from django.db import connection
    from django.urls import reverse

    from sinergi.areas.models import Election
    from sinergi.turnout.alerts import missing_alerts_send
    from sinergi.turnout.models import Checkpoint
    from sinergi.turnout.selectors import MISSING_GRACE
    from sinergi.turnout.voting_day import checkpoint_moment

    election = Election.objects.get(slug=SLUG)
    checkpoint = Checkpoint.objects.get(election=election, code="13")
    now = checkpoint_moment(election, checkpoint) + MISSING_GRACE + dt.timedelta(minutes=1)
    reverse("turnout:missing", args=["11.01.01"])  # the URLconf loads once per process, not in a run
    aggregates = [aggregate(checkpoint.pk) for _ in range(repeat)]
    runs = []
    for _ in range(repeat):
        reset()
        queries = [0]

        def count(execute, sql, params, many, context, queries=queries):
            queries[0] += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            sent = missing_alerts_send(election=election, checkpoint=checkpoint, now=now)
        runs.append((time.perf_counter() - started, queries[0]))
    produced = counts()
    started = time.perf_counter()
    missing_alerts_send(election=election, checkpoint=checkpoint, now=now)
    rerun = time.perf_counter() - started
    again = counts()
    agg = [a[0] for a in aggregates]
    run = [r[0] for r in runs]
    print(f"code: {ROOT}")
    print(f"missing TPS: {aggregates[0][2]:,} in {aggregates[0][1]:,} kecamatan; kecamatan alerted: {sent:,}")
    print(f"written: {produced['notices']:,} notices, {produced['messages']:,} messages; after the re-run: {again}")
    print(
        f"aggregate ({repeat}x): median {ms(statistics.median(agg))}, best {ms(min(agg))} ({', '.join(map(ms, agg))})"
    )
    print(
        f"alert run ({repeat}x): median {ms(statistics.median(run))}, best {ms(min(run))} ({', '.join(map(ms, run))})"
    )
    print(f"queries per alert run: {runs[0][1]:,}; re-run at the same moment: {ms(rerun)}")
    print(
        f"ratio alert run / aggregate: median {statistics.median(run) / statistics.median(agg):.1f}x,"
        f" best {min(run) / min(agg):.1f}x"
    )
    reset()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tps", type=int, default=818_090)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--roster-provinces", type=int, default=0)
    parser.add_argument("--reuse", action="store_true", help="use the database a --keep run left")
    parser.add_argument("--keep", action="store_true", help="keep the database for a --reuse run")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    if args.reuse:
        django_setup()
    else:
        build(args.tps)
    try:
        if args.roster_provinces:
            roster_ensure(args.roster_provinces)
        if not args.build_only:
            measure(args.repeat)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            sql_admin(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
