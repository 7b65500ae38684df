"""CSV and XLSX files of a round's numbers: the child areas' roll-ups, or the TPS of an area.

Each export is a `Table`: its columns declared once (the CSV header is the keys, the XLSX header the
labels in the reader's language) and its rows streamed."""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.documents import Column, Kind, Table, csv_bytes, csv_table, single_sheet
from sinergi.risk.models import AreaRollup, Checklist, Indicator, Variable

COUNT, N = Kind.INTEGER, Kind.NUMBER
AREA_COLUMNS = [
    Column("kode", gettext_lazy("Kode"), width=16),
    Column("nama", gettext_lazy("Wilayah"), width=28),
    Column("tps_total", gettext_lazy("Jumlah TPS"), COUNT, 10),
    Column("tps_dinilai", gettext_lazy("TPS dinilai"), COUNT, 10),
    Column("tps_rawan", gettext_lazy("TPS rawan"), COUNT, 10),
    Column("indeks", gettext_lazy("Indeks"), N, 10),
    Column("kategori", gettext_lazy("Kategori"), width=16),
]
TPS_COLUMNS = [
    Column("tps", gettext_lazy("TPS"), width=20),
    Column("desa", gettext_lazy("Desa/kelurahan"), width=24),
    Column("versi", gettext_lazy("Versi"), COUNT, 8),
    Column("skor", gettext_lazy("Skor"), N, 8),
    Column("kelas_turunan", gettext_lazy("Kelas turunan"), width=16),
    Column("kelas_efektif", gettext_lazy("Kelas berlaku"), width=16),
]


def area_rows(children: list, variables: list[Variable], indicators: list[Indicator]) -> Table:
    columns = [
        *AREA_COLUMNS,
        *[Column(f"variabel_{v.code}", _("Variabel %(code)s") % {"code": v.code}, COUNT, 11) for v in variables],
        *[Column(f"indikator_{i.code}", _("Indikator %(code)s") % {"code": i.code}, COUNT, 11) for i in indicators],
    ]
    return Table(columns, _area_values(children, variables, indicators))


def _area_values(children: list, variables: list[Variable], indicators: list[Indicator]) -> Iterator[list]:
    for area, rollup in children:
        r: AreaRollup | None = rollup
        yield [
            area.code,
            area.name,
            area.tps_count,
            r.tps_assessed if r else 0,
            r.tps_flagged if r else 0,
            r.index if r else "",
            r.category if r else "",
            *[(r.by_variable.get(v.code, 0) if r else 0) for v in variables],
            *[(r.by_indicator.get(i.code, 0) if r else 0) for i in indicators],
        ]


def tps_rows(checklists: Iterable[Checklist], indicators: list[Indicator]) -> Table:
    columns = [*TPS_COLUMNS, *[Column(i.code, i.code, width=8) for i in indicators]]
    return Table(columns, _tps_values(checklists, indicators))


def _tps_values(checklists: Iterable[Checklist], indicators: list[Indicator]) -> Iterator[list]:
    for c in checklists:
        override = getattr(c.tps, "risk_security_override", None)
        yield [
            c.tps_id,
            c.tps.desa.name,
            c.version,
            c.score,
            c.security_class,
            override.security_class if override else c.security_class,
            *[answer_text(c.answers.get(i.code, {})) for i in indicators],
        ]


def answer_text(answer: dict) -> str:
    """A checklist answer as shown in tables and files: the count if one was asked, else yes/no."""
    if answer.get("count") is not None:
        return str(answer["count"])
    return _("ya") if answer.get("yes") else _("tidak")


def csv_stream(table: Table) -> Iterator[bytes]:
    """CSV lines one by one (UTF-8 with BOM), the keys as header; every cell through the one cell
    writer, so a name or note starting with = + - @ never becomes a formula."""
    return csv_table(table)


def as_csv(rows: Iterable[list]) -> bytes:
    return csv_bytes(rows)


def as_xlsx(table: Table, title: str) -> bytes:
    return single_sheet(title, table.columns, table.rows)
