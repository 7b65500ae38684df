"""Columns declared once per export: a key (the CSV header, stable for scripts and re-imports), a
label (`gettext_lazy`, so the XLSX and PDF headers come out in the reader's language), a kind (how a
value is held in a workbook and written in a PDF) and a width (characters in a workbook; a PDF
shares the page in the same proportions)."""

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from django.utils.functional import Promise
from django.utils.translation import get_language

from sinergi.core import formatting
from sinergi.core.documents.cells import csv_stream
from sinergi.core.timezones import local_time


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"  # a measure with decimals (87,5)
    RUPIAH = "rupiah"  # Decimal rupiah
    FRACTION = "fraction"  # 0.25 shown as 25,00 %
    DATE = "date"
    MOMENT = "moment"  # a local datetime without zone (see `local_moment`); the label names the zone


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: Kind = Kind.TEXT
    width: float = 14


class Table(NamedTuple):
    """An export's columns and its rows (an iterator, so a big list streams)."""

    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def csv_table(table: Table) -> Iterator[bytes]:
    """The table as CSV bytes, line by line: the keys as header (stable for scripts and re-imports)."""
    return csv_stream(itertools.chain([keys(table.columns)], table.rows))


def keys(columns: Sequence[Column]) -> list[str]:
    return [c.key for c in columns]


def labels(columns: Sequence[Column]) -> list[str]:
    """The headers in the active language."""
    return [str(c.label) for c in columns]


# XLSX number formats: a workbook keeps numbers numeric; Excel or LibreOffice draws the separators of
# the reader's own locale, so only the date order differs by language (as in Django's SHORT_DATE_FORMAT).
_NUMBER_FORMATS = {
    Kind.INTEGER: "#,##0",
    Kind.NUMBER: "General",
    Kind.RUPIAH: "#,##0;[Red]-#,##0",
    Kind.FRACTION: "0.00%",
}
_DATE_FORMATS = {"id": "DD-MM-YYYY", "en": "MM/DD/YYYY"}


def number_format(kind: Kind) -> str | None:
    if kind in (Kind.DATE, Kind.MOMENT):
        date = _DATE_FORMATS.get((get_language() or "id").split("-")[0], _DATE_FORMATS["id"])
        return date + (" HH:MM" if kind is Kind.MOMENT else "")
    return _NUMBER_FORMATS.get(kind)


def local_moment(moment: dt.datetime | None, area_code: str) -> dt.datetime | None:
    """A stored (UTC) moment as the wall-clock time of the area's zone, without zone: a workbook
    cannot hold a zone, so the column's label names it."""
    if moment is None:
        return None
    return local_time(moment, area_code).replace(tzinfo=None)


def text(value: Any, kind: Kind = Kind.TEXT) -> str:
    """A value as a PDF writes it, in the active language's notation (`core.formatting`)."""
    if value is None or value == "":
        return "" if value == "" else formatting.MISSING
    if kind is Kind.RUPIAH:
        return formatting.rupiah(Decimal(value))
    if kind is Kind.FRACTION:
        return formatting.percent(Decimal(str(value)) * 100, 2)
    if kind is Kind.DATE and isinstance(value, dt.date):
        return formatting.date(value, short=True)
    if kind is Kind.INTEGER and isinstance(value, int | Decimal):
        return formatting.number(value)
    if kind is Kind.NUMBER and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return formatting.measure(value)
    return str(value)


