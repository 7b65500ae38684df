"""Stored report counts per area level, category and local day (`ReportTally`).

Written inside the services' transactions: +1 received/open on create, open -1 (and done +1) when a
report closes, the reverse when it reopens. `tallies_rebuild` recomputes everything from the reports
(after a bulk load, or to check the counters) with one GROUP BY per level.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Substr

from sinergi.areas.codes import NATIONAL_CODE, parent_of
from sinergi.incidents.models import Report, ReportTally
from sinergi.incidents.triage import OPEN_STATES, State

# Code lengths of provinsi, kabupaten/kota, kecamatan, desa/kelurahan.
LEVEL_LENGTHS = (2, 5, 8, 13)


def levels(scope_code: str) -> list[str]:
    """The area codes a report counts towards: 64.02.06.2001.003 -> 64, 64.02, 64.02.06, 64.02.06.2001."""
    return [scope_code[:length] for length in LEVEL_LENGTHS if len(scope_code) >= length]


def tally_add(report: Report, *, received: int = 0, open: int = 0, done: int = 0) -> None:
    """Add to the four level rows of the report's category and day: one UPDATE when they exist."""
    codes = levels(report.scope_code)
    rows = ReportTally.objects.filter(area_code__in=codes, category_id=report.category_id, day=report.received_day)
    deltas = {"received": F("received") + received, "open": F("open") + open, "done": F("done") + done}
    if rows.update(**deltas) == len(codes):
        return
    for code in set(codes) - set(rows.values_list("area_code", flat=True)):
        try:
            with transaction.atomic():
                ReportTally.objects.create(
                    area_code=code,
                    parent_code=parent_of(code) or NATIONAL_CODE,
                    category_id=report.category_id,
                    day=report.received_day,
                    received=received,
                    open=open,
                    done=done,
                )
        except IntegrityError:  # another request created the row after our UPDATE: add to it
            rows.filter(area_code=code).update(**deltas)


def tally_transition(report: Report, source: str, target: str) -> None:
    was_open, is_open = source in OPEN_STATES, target in OPEN_STATES
    done = (target == State.DONE) - (source == State.DONE)
    if was_open != is_open or done:
        tally_add(report, open=int(is_open) - int(was_open), done=done)


@transaction.atomic
def tallies_rebuild() -> int:
    ReportTally.objects.all().delete()
    rows = []
    for length in LEVEL_LENGTHS:
        grouped = (
            Report.objects.annotate(code=Substr("scope_code", 1, length))
            .values("code", "category_id", "received_day")
            .annotate(
                received=Count("id"),
                open=Count("id", filter=Q(state__in=OPEN_STATES)),
                done=Count("id", filter=Q(state=State.DONE)),
            )
            .order_by()
        )
        rows += [
            ReportTally(
                area_code=g["code"],
                parent_code=parent_of(g["code"]) or NATIONAL_CODE,
                category_id=g["category_id"],
                day=g["received_day"],
                received=g["received"],
                open=g["open"],
                done=g["done"],
            )
            for g in grouped
        ]
    ReportTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
