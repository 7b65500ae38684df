"""CSV and XLSX export of a filtered report list, streamed in chunks (never the whole table)."""

import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse

from sinergi.core.spreadsheet import append_row, csv_lines
from sinergi.incidents.models import Report

XLSX_MAX_ROWS = 100_000
HEADER = [
    "id",
    "tracking_code",
    "received_at_utc",
    "occurred_at_utc",
    "category",
    "desa_code",
    "desa",
    "tps_code",
    "severity",
    "state",
    "channel",
    "agency",
    "escalation_level",
    "lat",
    "lng",
    "description",
]
PERSONAL = ["reporter_name", "reporter_contact"]


def _rows(reports: QuerySet[Report], personal: bool) -> Iterator[list]:
    fields = [
        "pk",
        "tracking_code",
        "received_at",
        "occurred_at",
        "category__name",
        "desa_id",
        "desa__name",
        "polling_station_id",
        "severity",
        "state",
        "channel",
        "agency__name",
        "escalation_level",
        "lat",
        "lng",
        "description",
        *(["reporter_name", "reporter_contact"] if personal else []),
    ]
    for row in reports.order_by("-id").values_list(*fields).iterator(chunk_size=2000):
        values = list(row)
        values[2], values[3] = values[2].isoformat(), values[3].isoformat()
        yield values


def csv_response(reports: QuerySet[Report], personal: bool) -> StreamingHttpResponse:
    """Every cell goes through `core.spreadsheet` so that reporter text never becomes a formula."""

    def rows() -> Iterator[list]:
        yield HEADER + (PERSONAL if personal else [])
        yield from _rows(reports, personal)

    response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="laporan.csv"'
    return response


def xlsx_response(reports: QuerySet[Report], personal: bool) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("laporan")
    append_row(sheet, HEADER + (PERSONAL if personal else []))
    for count, values in enumerate(_rows(reports, personal)):
        if count >= XLSX_MAX_ROWS:
            append_row(sheet, [f"... dipotong pada {XLSX_MAX_ROWS} baris; gunakan CSV untuk semuanya"])
            break
        append_row(sheet, values)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="laporan.xlsx"'
    return response
