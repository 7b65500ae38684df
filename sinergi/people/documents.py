"""Roster exports (CSV/XLSX, the import's own columns, so an export can be edited and imported
again) and the printable activation sheet with a QR code per person (PDF), through the document
toolkit (`core.documents`)."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sinergi.core.batching import chunked
from sinergi.core.documents import Card, Column, Document, Workbook
from sinergi.core.documents.styles import NARROW_MARGIN
from sinergi.people.models import Person
from sinergi.people.phones import display
from sinergi.people.selectors import masked, phones_of

# The import's columns: the header of both files is these keys (the roster import reads them back),
# not labels in the reader's language.
EXPORT_HEADER = ["name", "phone", "role", "agency", "area_code", "email", "position", "tps_code", "activated_at"]
_WIDTHS = [28, 30, 18, 18, 16, 26, 22, 20, 26]
EXPORT_COLUMNS = [Column(key, key, width=width) for key, width in zip(EXPORT_HEADER, _WIDTHS, strict=True)]
FICTITIOUS_NOTE = "+62 810-0xxx-xxxx"


def export_rows(people: QuerySet[Person], *, clear_phones: bool) -> Iterator[list[Any]]:
    """The header, then one row per person in the import's format (phones as 0812-..., `;` between
    them); `clear_phones=False` masks them (read-only roles)."""
    yield EXPORT_HEADER
    query = people.select_related("user", "agency").order_by("area_id", "pk")
    for chunk in chunked(query.iterator(chunk_size=2000), 2000):
        phones = phones_of([p.pk for p in chunk])
        for person in chunk:
            shown = [display(p) if clear_phones else masked(p) for p in phones[person.pk]]
            yield [
                person.user.get_full_name(),
                "; ".join(shown),
                person.role,
                person.agency.code if person.agency else "",
                person.area_id or "",
                person.user.email,
                person.position,
                person.tps_id or "",
                person.activated_at.isoformat() if person.activated_at else "",
            ]


def export_xlsx(rows: Iterator[list[Any]], title: str) -> bytes:
    """`rows` as `export_rows` yields them: the header row is dropped, the sheet writes the keys."""
    book = Workbook()
    sheet = book.sheet(title or "roster", EXPORT_COLUMNS)
    next(rows, None)
    sheet.rows(rows)
    return book.to_bytes()


# --- the activation sheet ---


@dataclass(frozen=True)
class SheetEntry:
    name: str
    role: str
    where: str  # TPS or desa/kecamatan name
    username: str
    phone: str  # masked
    link: str


def _card(entry: SheetEntry) -> Card:
    return Card(
        entry.link,
        [
            entry.name,
            entry.role,
            entry.where,
            _("Nama pengguna: %(username)s") % {"username": entry.username},
            _("HP: %(phone)s") % {"phone": entry.phone},
            _("Pindai kode QR dengan kamera HP, lalu buat kata sandi atau masuk dengan kode SMS."),
        ],
    )


def activation_sheet_pdf(
    *, title: str, subtitle: str, entries: list[SheetEntry], expires_text: str, area_code: str = "ID"
) -> bytes:
    doc = Document(title, area_code=area_code, margin=NARROW_MARGIN)
    doc.heading(title)
    doc.text(subtitle, small=True)
    doc.text(
        _(
            "Setiap kode QR adalah tautan aktivasi pribadi, sekali pakai, berlaku sampai %(expires)s. "
            "Gunting dan serahkan kepada orang yang bersangkutan saja."
        )
        % {"expires": expires_text},
        small=True,
    )
    doc.space()
    doc.cards([_card(entry) for entry in entries])
    return doc.to_bytes()
