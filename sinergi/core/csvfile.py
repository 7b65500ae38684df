"""Reading CSV files for bulk imports: strict UTF-8, a checked header, line numbers kept.

Every row is checked before any importer sees it: a row with fewer values than the header has
columns (a truncated line would blank the missing columns), a value with a control character
(`core.sanitise.clean_text`) and a value longer than `MAX_FIELD_CHARS` are errors that name the line
and the column. `read_csv` refuses the file when any row has one; `read_csv_rows` hands them back
so that an importer reports them together with its own.
"""

import csv
import gzip
import io
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from sinergi.core.errors import ImportFailed, RowError, ValidationFailed
from sinergi.core.sanitise import CONTROL_CHARACTERS, clean_text

MAX_IMPORT_BYTES = 200 * 1024 * 1024
MAX_FIELD_CHARS = 4096
_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def is_ascii_number(text: str) -> bool:
    """True for a whole number written in ASCII digits only: `str.isdigit()` is also true for
    superscript digits (U+00B2) and full-width ones (U+FF11), and `int()` accepts full-width digits."""
    return _ASCII_DIGITS.fullmatch(text) is not None


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]
    extra_fields: bool = False
    errors: tuple[RowError, ...] = ()

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def read_text(path: Path) -> str:
    """The file's text. Gzip is unpacked; anything but UTF-8 is refused with the byte offset."""
    if not path.is_file():
        raise ImportFailed([RowError(0, "", _("berkas tidak ditemukan: %(path)s") % {"path": path})])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(
            [
                RowError(
                    0, "", _("%(path)s tidak dapat dibaca: %(reason)s") % {"path": path, "reason": exc.strerror or exc}
                )
            ]
        ) from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFailed(
            [RowError(0, "", _("berkas lebih besar dari %(mib)d MiB") % {"mib": MAX_IMPORT_BYTES // 2**20})]
        )
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ImportFailed([RowError(0, "", _("berkas gzip rusak: %(reason)s") % {"reason": exc})]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            [
                RowError(
                    line,
                    "",
                    _("berkas bukan UTF-8 (bita %(byte)d); simpan sebagai CSV UTF-8 lalu coba lagi")
                    % {"byte": exc.start},
                )
            ]
        ) from None


@dataclass(frozen=True)
class CsvTable:
    header: list[str]
    rows: list[CsvRow]
    errors: list[RowError] = field(default_factory=list)

    @property
    def good_rows(self) -> list[CsvRow]:
        return [row for row in self.rows if not row.errors]


def read_csv(path: Path, *, required: set[str]) -> CsvTable:
    """All rows with their line numbers, after checking the header has the required columns;
    ImportFailed listing every malformed row (see the module docstring)."""
    table = read_csv_rows(path, required=required)
    if table.errors:
        raise ImportFailed(table.errors)
    return table


def read_csv_rows(path: Path, *, required: set[str]) -> CsvTable:
    """Like `read_csv`, but a malformed row comes back with its `errors` (and in `table.errors`)."""
    with open_csv(path, required=required) as stream:
        rows = list(stream.rows)
    return CsvTable(stream.header, rows, [error for row in rows for error in row.errors])


@dataclass(frozen=True)
class CsvStream:
    """A checked header and the rows read one at a time (each as `read_csv_rows` would give it)."""

    header: list[str]
    rows: Iterator[CsvRow]


@contextmanager
def open_csv(path: Path, *, required: set[str]) -> Iterator[CsvStream]:
    """The file as a stream of rows: memory holds one row, not the file (national imports). The same
    refusals as `read_text` and `read_csv_rows`; one found past the header (bytes that are not UTF-8,
    a broken gzip stream) is raised from the row iterator, as ImportFailed naming the line."""
    handle = _open_text(path)
    try:
        with _field_limit(MAX_IMPORT_BYTES + 1):
            reader = csv.reader(_decoded(handle, path))
            try:
                raw_header = next(reader, [])
            except csv.Error as exc:
                raise ImportFailed(
                    [RowError(reader.line_num, "", _("header bukan CSV yang sah: %(reason)s") % {"reason": exc})]
                ) from None
            header = [name.strip() for name in raw_header]
            header_errors = _header_errors(header, reader.line_num)
            header_errors += [
                RowError(reader.line_num, name, _("kolom %(name)s muncul lebih dari sekali di header") % {"name": name})
                for name in sorted({name for name in header if name and header.count(name) > 1})
            ]
            if header_errors:
                raise ImportFailed(header_errors)
            require_columns(header, required)
            yield CsvStream(header, _rows(reader, header))
    finally:
        handle.close()


_BLOCK = 1 << 20


def _open_text(path: Path) -> io.TextIOWrapper:
    if not path.is_file():
        raise ImportFailed([RowError(0, "", _("berkas tidak ditemukan: %(path)s") % {"path": path})])
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ImportFailed(
                [RowError(0, "", _("berkas lebih besar dari %(mib)d MiB") % {"mib": MAX_IMPORT_BYTES // 2**20})]
            )
        raw = path.open("rb")
        binary = gzip.GzipFile(fileobj=raw) if raw.peek(2)[:2] == b"\x1f\x8b" else raw
    except OSError as exc:
        raise ImportFailed(
            [
                RowError(
                    0, "", _("%(path)s tidak dapat dibaca: %(reason)s") % {"path": path, "reason": exc.strerror or exc}
                )
            ]
        ) from None
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]


def _decoded(handle: io.TextIOWrapper, path: Path) -> Iterator[str]:
    """The lines of the text stream; a decoding or gzip failure as ImportFailed (what `read_text` says)."""
    try:
        yield from handle
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except (OSError, EOFError, zlib.error) as exc:
        raise ImportFailed([RowError(0, "", _("berkas gzip rusak: %(reason)s") % {"reason": exc})]) from None


def _not_utf8(path: Path) -> ImportFailed:
    """Where the first byte that is not UTF-8 is: the stream decodes in blocks, so read it again (only on
    this refusal) a block of whole lines at a time; a line break never sits inside a UTF-8 sequence."""
    offset, lines, carry = 0, 0, b""
    with path.open("rb") as raw, gzip.open(raw) if raw.peek(2)[:2] == b"\x1f\x8b" else raw as binary:
        while block := binary.read(_BLOCK):
            whole, newline, carry = (carry + block).rpartition(b"\n")
            part = whole + newline
            try:
                part.decode("utf-8")
            except UnicodeDecodeError as exc:
                return _decode_refusal(offset + exc.start, lines + part[: exc.start].count(b"\n") + 1)
            offset, lines = offset + len(part), lines + part.count(b"\n")
        try:
            carry.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _decode_refusal(offset + exc.start, lines + 1)
    return _decode_refusal(offset, lines + 1)


def _decode_refusal(byte: int, line: int) -> ImportFailed:
    return ImportFailed(
        [
            RowError(
                line,
                "",
                _("berkas bukan UTF-8 (bita %(byte)d); simpan sebagai CSV UTF-8 lalu coba lagi") % {"byte": byte},
            )
        ]
    )


def _header_errors(header: list[str], line: int) -> list[RowError]:
    errors = []
    for number, name in enumerate(header, start=1):
        try:
            clean_text(name, field=f"{number}")
        except ValidationFailed as exc:
            errors.append(RowError(line, str(number), exc.detail))
    return errors


def _rows(reader, header: list[str]) -> Iterator[CsvRow]:
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader cannot be trusted past a broken quote: report it and stop here.
            yield CsvRow(
                reader.line_num,
                {},
                errors=(RowError(reader.line_num, "", _("bukan CSV yang sah: %(reason)s") % {"reason": exc}),),
            )
            return
        if not values:
            continue  # a blank line
        line = reader.line_num
        row = dict(zip(header, values, strict=False))
        errors = []
        if len(values) < len(header):
            missing = header[len(values) :]
            errors.append(
                RowError(
                    line,
                    "",
                    _(
                        "%(missing)d kolom kurang: %(values)d nilai untuk %(columns)d kolom header "
                        "(tidak ada %(names)s); baris terpotong tidak diimpor"
                    )
                    % {
                        "missing": len(missing),
                        "values": len(values),
                        "columns": len(header),
                        "names": ", ".join(missing),
                    },
                )
            )
        extra = values[len(header) :]
        joined = "".join(values)
        if len(joined) > MAX_FIELD_CHARS or CONTROL_CHARACTERS.search(joined):  # else every value is fine
            for column, value in zip(header, values, strict=False):
                errors.extend(_value_errors(line, column, value))
            for number, value in enumerate(extra, start=len(header) + 1):
                errors.extend(_value_errors(line, str(number), value))
        yield CsvRow(line, row, extra_fields=bool(extra), errors=tuple(errors))


def _value_errors(line: int, column: str, value: str) -> list[RowError]:
    if len(value) > MAX_FIELD_CHARS:
        return [
            RowError(
                line,
                column,
                _("nilai terlalu panjang: %(length)d karakter (paling banyak %(limit)d)")
                % {"length": len(value), "limit": MAX_FIELD_CHARS},
            )
        ]
    try:
        clean_text(value, field=column)
    except ValidationFailed as exc:
        return [RowError(line, column, exc.detail)]
    return []


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read a field of any length (its default limit, 128 KB, is a crash with a
    traceback); `MAX_FIELD_CHARS` is then checked per value, naming the line."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, limit))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def require_columns(header: list[str], required: set[str]) -> None:
    missing = sorted(required - set(header))
    if missing:
        found = ", ".join(header) or _("(berkas kosong)")
        raise ImportFailed(
            [
                RowError(
                    1,
                    ", ".join(missing),
                    _("header tidak memuat kolom %(missing)s; yang ada: %(found)s")
                    % {"missing": ", ".join(missing), "found": found},
                )
            ]
        )
