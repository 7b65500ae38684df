"""Daily situation reports for every kabupaten/kota, and the room at national and province level.

    python benchmarks/situation_daily_report.py [--database-url URL] [--regencies 514] [--actions 12]

Builds a fresh database (SQLite in a temporary folder by default): the national area tree
(91,599 areas from the shipped Kemendagri file), the 2024 elections, and per kabupaten/kota one
coordination meeting with `--actions` action items (a third of them overdue). Then it generates
today's report (room from every discovered module provider + PDF + XLSX + archive row and files)
for the first `--regencies` kabupaten/kota, as the morning task does.

Baseline, measured in the same run: rendering an *empty* report (no module data) to PDF and XLSX
for the same areas. The ratio says what the real report costs on top of the bare document
machinery. It also prints the query count of the room for Indonesia, a province and a regency.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import setup_django  # noqa: E402


def build(actions_per_regency: int) -> list[str]:
    from sinergi.accounts.models import Agency
    from sinergi.areas.area_import import import_areas
    from sinergi.areas.demo import DATA, elections_ensure
    from sinergi.areas.models import Area, Level
    from sinergi.meetings.models import ActionItem, Decision, Meeting, MeetingKind

    import_areas(DATA / "regions_kemendagri_2025.csv.gz")
    elections_ensure()
    regencies = list(Area.objects.filter(level=Level.REGENCY).order_by("code").values_list("code", flat=True))
    kind = MeetingKind.objects.get(slug="rakor-lintas-sektoral")
    agencies = Agency.objects.bulk_create(
        [
            Agency(code=f"kesbangpol-{c.replace('.', '-')}", name=f"Kesbangpol {c}", kind="kesbangpol", area_id=c)
            for c in regencies
        ]
    )
    start = datetime(2024, 9, 3, 1, tzinfo=UTC)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                kind=kind, title=f"Rakor {c}", area_id=c, starts_at=start, venue="Aula", organiser=a, chair_name="Sekda"
            )
            for c, a in zip(regencies, agencies, strict=True)
        ]
    )
    decisions = Decision.objects.bulk_create([Decision(meeting=m, number=1, text="Amankan TPS") for m in meetings])
    kecamatan = {}
    for code in Area.objects.filter(level=Level.DISTRICT).values_list("code", flat=True):
        kecamatan.setdefault(code[:5], []).append(code)
    today = date.today()
    items = []
    for decision, agency, code in zip(decisions, agencies, regencies, strict=True):
        places = kecamatan.get(code, [code])
        for i in range(actions_per_regency):
            due = today - timedelta(days=10) if i % 3 == 0 else today + timedelta(days=20)
            items.append(
                ActionItem(
                    decision=decision,
                    title=f"Tindak lanjut {i}",
                    responsible_agency=agency,
                    area_id=places[i % len(places)],
                    due_date=due,
                    status="done" if i % 4 == 1 else "open",
                )
            )
    ActionItem.objects.bulk_create(items, batch_size=5000)
    return regencies


def room_queries(code: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinergi.areas.models import Area
    from sinergi.situation.room import SystemViewer, room_build

    area = Area.objects.get(code=code)
    with CaptureQueriesContext(connection) as captured:
        room_build(SystemViewer(), area)
    return len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--regencies", type=int, default=514)
    parser.add_argument("--actions", type=int, default=12)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="sinergi-bench-situation-")
    setup_django(args.database_url or f"sqlite:///{workdir}/bench.sqlite3", SINERGI_VAR_DIR=str(workdir))

    from sinergi.situation.documents import report_pdf, report_xlsx
    from sinergi.situation.providers import discover
    from sinergi.situation.services import daily_report_generate
    from sinergi.situation.snapshot import empty_snapshot

    started = time.perf_counter()
    regencies = build(args.actions)[: args.regencies]
    print(
        f"data set: {len(regencies)} kabupaten/kota, {args.actions} action items each "
        f"({time.perf_counter() - started:.1f} s to build); providers: {', '.join(p.name for p in discover())}"
    )
    for code, label in (("ID", "Indonesia"), ("64", "province 64"), ("64.02", "regency 64.02")):
        print(f"room queries, {label}: {room_queries(code)}")

    baseline, full = [], []
    for code in regencies:
        t0 = time.perf_counter()
        snapshot = empty_snapshot(code, f"Kabupaten {code}", date.today().isoformat())
        report_pdf(snapshot), report_xlsx(snapshot)
        baseline.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        daily_report_generate(area_code=code)
        full.append(time.perf_counter() - t0)
    base_ms, full_ms = statistics.median(baseline) * 1000, statistics.median(full) * 1000
    print(f"empty report (baseline): median {base_ms:.1f} ms")
    print(f"full daily report:       median {full_ms:.1f} ms, total {sum(full):.1f} s for {len(full)} reports")
    print(f"ratio full / empty:      {full_ms / base_ms:.2f}")


if __name__ == "__main__":
    main()
