"""CSV and XLSX export of a filtered report list, streamed in chunks (never the whole table).

The CSV is for scripts: the column keys as header, codes and UTC times in ISO 8601. The XLSX is for
people: headers in the reader's language, labels instead of codes, and times as the wall clock of each
report's own zone (named in its own column)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.documents import (
    Column,
    Kind,
    Table,
    Workbook,
    attachment,
    csv_table,
    local_moment,
    streamed_attachment,
)
from sinergi.core.formatting import zone_label
from sinergi.core.models import Channel
from sinergi.incidents.models import Report
from sinergi.incidents.sla import SEVERITY_CHOICES
from sinergi.incidents.triage import STATE_CHOICES

XLSX_MAX_ROWS = 100_000
T, M, N = Kind.TEXT, Kind.MOMENT, Kind.NUMBER
COLUMNS = [
    Column("id", gettext_lazy("ID"), Kind.INTEGER, 8),
    Column("tracking_code", gettext_lazy("Kode lacak"), T, 12),
    Column("received_at_utc", gettext_lazy("Diterima"), M, 17),
    Column("occurred_at_utc", gettext_lazy("Terjadi"), M, 17),
    Column("zone", gettext_lazy("Zona waktu"), T, 8),
    Column("category", gettext_lazy("Kategori"), T, 22),
    Column("desa_code", gettext_lazy("Kode desa"), T, 14),
    Column("desa", gettext_lazy("Desa/kelurahan"), T, 20),
    Column("tps_code", gettext_lazy("Kode TPS"), T, 18),
    Column("severity", gettext_lazy("Tingkat"), T, 10),
    Column("state", gettext_lazy("Status"), T, 14),
    Column("channel", gettext_lazy("Saluran"), T, 12),
    Column("agency", gettext_lazy("Instansi"), T, 24),
    Column("escalation_level", gettext_lazy("Tingkat eskalasi"), Kind.INTEGER, 10),
    Column("lat", gettext_lazy("Lintang"), N, 10),
    Column("lng", gettext_lazy("Bujur"), N, 10),
    Column("description", gettext_lazy("Uraian"), T, 60),
]
PERSONAL = [
    Column("reporter_name", gettext_lazy("Nama pelapor"), T, 20),
    Column("reporter_contact", gettext_lazy("Kontak pelapor"), T, 20),
]
_FIELDS = [
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
]


def _columns(personal: bool) -> list[Column]:
    return COLUMNS + (PERSONAL if personal else [])


def _rows(reports: QuerySet[Report], personal: bool, *, for_people: bool) -> Iterator[list[Any]]:
    fields = _FIELDS + (["reporter_name", "reporter_contact"] if personal else [])
    severities, states, channels = dict(SEVERITY_CHOICES), dict(STATE_CHOICES), dict(Channel.choices)
    for row in reports.order_by("-id").values_list(*fields).iterator(chunk_size=2000):
        values = list(row)
        received, occurred, desa = values[2], values[3], values[5]
        if for_people:
            values[2:4] = [local_moment(received, desa), local_moment(occurred, desa)]
            values[8] = str(severities.get(values[8], values[8]))
            values[9] = str(states.get(values[9], values[9]))
            values[10] = str(channels.get(values[10], values[10]))
        else:
            values[2:4] = [received.isoformat(), occurred.isoformat()]
        values.insert(4, zone_label(desa))
        yield values


def csv_response(reports: QuerySet[Report], personal: bool) -> StreamingHttpResponse:
    """Every cell goes through the toolkit's cell writer, so reporter text never becomes a formula."""
    return streamed_attachment(csv_table(Table(_columns(personal), _rows(reports, personal, for_people=False))), "laporan.csv")


def xlsx_response(reports: QuerySet[Report], personal: bool) -> HttpResponse:
    book = Workbook()
    sheet = book.sheet(_("laporan"), _columns(personal), freeze_columns=2)
    for count, values in enumerate(_rows(reports, personal, for_people=True)):
        if count >= XLSX_MAX_ROWS:
            sheet.line(_("... dipotong pada %(n)s baris; gunakan CSV untuk semuanya") % {"n": XLSX_MAX_ROWS})
            break
        sheet.row(values)
    return attachment(book.to_bytes(), "laporan.xlsx")
