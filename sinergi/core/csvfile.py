"""Reading CSV files for bulk imports: strict UTF-8, a checked header, line numbers kept."""

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from sinergi.core.errors import ImportFailed, RowError

MAX_IMPORT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]
    extra_fields: bool = False

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def read_text(path: Path) -> str:
    """The file's text. Gzip is unpacked; anything but UTF-8 is refused with the byte offset."""
    if not path.exists():
        raise ImportFailed([RowError(0, "", f"file not found: {path}")])
    raw = path.read_bytes()
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFailed([RowError(0, "", f"file is larger than {MAX_IMPORT_BYTES // 2**20} MiB")])
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            [RowError(line, "", f"file is not UTF-8 (byte {exc.start}); save it as UTF-8 CSV and try again")]
        ) from None


@dataclass(frozen=True)
class CsvTable:
    header: list[str]
    rows: list[CsvRow]


def read_csv(path: Path, *, required: set[str]) -> CsvTable:
    """All rows with their line numbers, after checking the header has the required columns."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    require_columns(header, required)
    reader.fieldnames = header
    rows = []
    for values in reader:
        extra = values.pop(None, None)  # type: ignore[call-overload]
        rows.append(CsvRow(reader.line_num, values, extra_fields=bool(extra)))
    return CsvTable(header, rows)


def require_columns(header: list[str], required: set[str]) -> None:
    missing = sorted(required - set(header))
    if missing:
        found = ", ".join(header) or "(empty file)"
        raise ImportFailed(
            [RowError(1, ", ".join(missing), f"header lacks column(s) {', '.join(missing)}; found: {found}")]
        )
