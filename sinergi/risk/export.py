"""CSV and XLSX files of a round's numbers: the child areas' roll-ups, or the TPS of an area."""

import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook

from sinergi.core.spreadsheet import append_row, csv_lines
from sinergi.risk.models import AreaRollup, Checklist, Indicator, Variable


def area_rows(children: list, variables: list[Variable], indicators: list[Indicator]) -> Iterator[list]:
    yield [
        "kode",
        "nama",
        "tps_total",
        "tps_dinilai",
        "tps_rawan",
        "indeks",
        "kategori",
        *[f"variabel_{v.code}" for v in variables],
        *[f"indikator_{i.code}" for i in indicators],
    ]
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


def tps_rows(checklists: Iterable[Checklist], indicators: list[Indicator]) -> Iterator[list]:
    yield ["tps", "desa", "versi", "skor", "kelas_turunan", "kelas_efektif", *[i.code for i in indicators]]
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
    """A checklist answer as shown in tables and files: the count if one was asked, else ya/tidak."""
    if answer.get("count") is not None:
        return str(answer["count"])
    return "ya" if answer.get("yes") else "tidak"


def csv_stream(rows: Iterable[list]) -> Iterator[bytes]:
    """CSV lines one by one (UTF-8 with BOM so spreadsheet programs detect the encoding); every cell goes
    through the one cell writer, so a name or note starting with = + - @ never becomes a formula."""
    for line in csv_lines(rows):
        yield line.encode("utf-8")


def as_csv(rows: Iterable[list]) -> bytes:
    return "".join(csv_lines(rows)).encode("utf-8")


def as_xlsx(rows: Iterable[list], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in rows:
        append_row(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
