"""`sinergi import-tps`: a TPS list as CSV.

Columns: `tps_code` (or `desa_code` and `tps_number`), `dpt_male`, `dpt_female`, optional
`dpt_total`, `special` (1/0, ya/tidak, true/false), `lat`, `lng`, `address`.
All or nothing; unknown desa and DPT above the election's maximum per TPS are refused.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.utils.translation import gettext as _

from sinergi.areas import rollup
from sinergi.areas.batches import batch_open
from sinergi.areas.codes import (
    DESA_DEPTH,
    KECAMATAN_DEPTH,
    ancestor_at,
    is_within,
    normalise_tps_code,
    parent_of,
    split_tps_code,
    tps_code,
)
from sinergi.areas.models import Area, Election, Level, PollingStation, within
from sinergi.core.batching import chunked
from sinergi.core.bulk import bulk_insert
from sinergi.core.csvfile import CsvRow, is_ascii_number, read_csv_rows, require_columns
from sinergi.core.errors import ImportFailed, RowError
from sinergi.core.history import changed_fields, history_record_many
from sinergi.core.models import Channel, HistoryEntry

LEGAL_MAX_VOTERS_PER_TPS = 800  # UU 10/2016; an election may set fewer (600 for Pilkada 2024)
FIELDS = ("dpt_male", "dpt_female", "dpt_total", "is_special", "lat", "lng", "address")
_TRUE = {"1", "ya", "y", "true", "t", "yes"}
_FALSE = {"", "0", "tidak", "n", "false", "f", "no"}
_DECIMAL = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,12})?", re.ASCII)  # no exponent, NaN or full-width digits
MAX_ADDRESS_CHARS = 255


@dataclass(frozen=True)
class TpsRow:
    line: int
    code: str
    desa: str
    number: int
    values: dict[str, Any]


@dataclass
class TpsImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    missing_from_file: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    per_kecamatan: dict[str, dict[str, int]] = field(default_factory=dict)
    batch_id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted)


def import_tps(path: Path, *, delete_removed: bool = False, note: str = "") -> TpsImportResult:
    """The system's import (demo, calibration, tests): no user, so no access rule. A user's import
    goes through `atlas.tps_import.import_tps_guarded`, which holds the rows to that user's rule."""
    return apply_tps(path, read_tps(path), delete_removed=delete_removed, note=note)


def read_tps(path: Path) -> list[TpsRow]:
    """The file's rows, checked on their own (refused all together with every row's error)."""
    table = read_csv_rows(path, required={"dpt_male", "dpt_female"})
    if "tps_code" not in table.header:
        require_columns(table.header, {"desa_code", "tps_number"})
    return _parse(table.rows)


def apply_tps(
    path: Path, rows: list[TpsRow], *, actor: Any = None, delete_removed: bool = False, note: str = ""
) -> TpsImportResult:
    """Write rows read by `read_tps`, all or nothing; `actor` is recorded, not checked (the caller did)."""
    result = TpsImportResult(per_kecamatan=_totals_per_kecamatan(rows))
    desa_codes = {r.desa for r in rows}
    with transaction.atomic():
        existing = {
            station["code"]: station
            for stations in _in_regencies(PollingStation.objects.all(), desa_codes)
            for station in stations.values("code", *FIELDS)
            if parent_of(station["code"]) in desa_codes
        }
        new, changed, changes = _diff(rows, existing)
        result.missing_from_file = sorted(set(existing) - {r.code for r in rows})
        result.unchanged = len(rows) - len(new) - len(changed)
        if not (new or changed or (delete_removed and result.missing_from_file)):
            return result
        regencies = sorted({ancestor_at(code, 2) for code in desa_codes})
        batch = batch_open("tps", path, actor, {}, note=note, regencies=regencies)
        _write(new, changed, batch.pk, result)
        if delete_removed:
            _delete_missing(result)
        rollup.recompute(desa_codes | {ancestor_at(code, DESA_DEPTH) for code in result.deleted})
        history_record_many(_history(changes, result, actor, batch.pk))
        batch.summary = {
            "added": result.added,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "deleted": result.deleted[:1000],
            "not_in_file": result.missing_from_file[:1000],
        }
        batch.save(update_fields=["summary"])
        result.batch_id = batch.pk
    return result


def _parse(rows: list[CsvRow]) -> list[TpsRow]:
    errors: list[RowError] = []
    parsed: list[TpsRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.errors:  # malformed (truncated, control characters, too long): reported as read
            errors.extend(row.errors)
            continue
        tps, row_errors = _parse_row(row)
        if tps and tps.code in seen:
            row_errors.append(
                RowError(row.line, "tps_code", _("TPS %(code)s ganda (pertama di baris %(line)d)") % {"code": tps.code, "line": seen[tps.code]})
            )
        errors.extend(row_errors)
        if tps and not row_errors:
            seen[tps.code] = row.line
            parsed.append(tps)
    errors.extend(_check_against_database(parsed))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.line, e.column)))
    return parsed


def _parse_row(row: CsvRow) -> tuple[TpsRow | None, list[RowError]]:
    if row.extra_fields:
        return None, [RowError(row.line, "", _("nilai lebih banyak daripada kolom header"))]
    errors: list[RowError] = []
    code = _code(row, errors)
    counts = {name: _count(row, name, errors) for name in ("dpt_male", "dpt_female")}
    total = _count(row, "dpt_total", errors) if row.get("dpt_total") else None
    if None not in counts.values():
        expected = int(counts["dpt_male"] or 0) + int(counts["dpt_female"] or 0)
        if total is not None and total != expected:
            errors.append(RowError(row.line, "dpt_total", _("%(total)s bukan dpt_male + dpt_female = %(expected)s") % {"total": total, "expected": expected}))
        total = expected
    special = row.get("special").lower()
    if special not in _TRUE | _FALSE:
        errors.append(RowError(row.line, "special", _("'%(value)s' bukan 1/0 atau ya/tidak") % {"value": row.get("special")}))
    lat = _coordinate(row, "lat", -11.5, 6.5, errors)
    lng = _coordinate(row, "lng", 94.5, 141.5, errors)
    if (lat is None) != (lng is None) and not any(e.column in ("lat", "lng") for e in errors):
        errors.append(RowError(row.line, "lat" if lat is None else "lng", _("isi lat dan lng sekaligus, atau kosongkan keduanya")))
    if len(row.get("address")) > MAX_ADDRESS_CHARS:
        errors.append(RowError(row.line, "address", _("lebih panjang dari %(limit)d karakter") % {"limit": MAX_ADDRESS_CHARS}))
    if errors or code is None:
        return None, errors
    desa, number = split_tps_code(code)
    values = {
        **counts,
        "dpt_total": total,
        "is_special": special in _TRUE,
        "lat": lat,
        "lng": lng,
        "address": row.get("address"),
    }
    return TpsRow(row.line, code, desa, number, values), []


def _code(row: CsvRow, errors: list[RowError]) -> str | None:
    for column in ("tps_code", "desa_code"):
        if not row.get(column).isascii():  # the code patterns' \d also matches full-width digits
            errors.append(RowError(row.line, column, _("'%(value)s' berisi karakter selain 0-9 dan titik") % {"value": row.get(column)}))
            return None
    if row.get("tps_code"):
        code = normalise_tps_code(row.get("tps_code"))
        if code is None:
            errors.append(
                RowError(row.line, "tps_code", _("'%(value)s' bukan kode TPS seperti 64.02.06.1001.012") % {"value": row.get("tps_code")})
            )
        return code
    number = row.get("tps_number")
    if not is_ascii_number(number) or not 1 <= int(number) <= 999:
        errors.append(RowError(row.line, "tps_number", _("'%(value)s' bukan nomor TPS 1 sampai 999") % {"value": number}))
        return None
    code = normalise_tps_code(tps_code(row.get("desa_code"), int(number)))
    if code is None:
        errors.append(
            RowError(row.line, "desa_code", _("'%(value)s' bukan kode desa seperti 64.02.06.1001") % {"value": row.get("desa_code")})
        )
    return code


def _count(row: CsvRow, column: str, errors: list[RowError]) -> int | None:
    text = row.get(column).replace(" ", "")
    if not is_ascii_number(text):
        errors.append(RowError(row.line, column, _("'%(value)s' bukan jumlah pemilih berupa bilangan bulat") % {"value": row.get(column)}))
        return None
    return int(text)


def _coordinate(row: CsvRow, column: str, low: float, high: float, errors: list[RowError]) -> float | None:
    text = row.get(column).replace(",", ".")
    if not text:
        return None
    if not _DECIMAL.fullmatch(text):
        errors.append(RowError(row.line, column, _("'%(value)s' bukan angka seperti -0.4123") % {"value": row.get(column)}))
        return None
    value = float(text)
    if not low <= value <= high:
        errors.append(RowError(row.line, column, _("%(value)s di luar Indonesia (%(low)s sampai %(high)s)") % {"value": value, "low": low, "high": high}))
        return None
    return value


def _check_against_database(rows: list[TpsRow]) -> list[RowError]:
    desa_codes = {r.desa for r in rows}
    villages = _in_regencies(Area.objects.active().filter(level=Level.VILLAGE), desa_codes)
    known = {code for group in villages for code in group.values_list("code", flat=True)} & desa_codes
    limits = voter_limits(desa_codes)
    errors = []
    for r in rows:
        if r.desa not in known:
            errors.append(RowError(r.line, "tps_code", _("desa/kelurahan %(code)s tidak dikenal") % {"code": r.desa}))
        elif r.values["dpt_total"] > limits[r.desa]:
            errors.append(
                RowError(
                    r.line,
                    "dpt_total",
                    _("DPT %(dpt)s melebihi batas %(limit)s pemilih per TPS")
                % {"dpt": r.values["dpt_total"], "limit": limits[r.desa]},
                )
            )
    return errors


WHOLE_TABLE_FROM_REGENCIES = 50


def _in_regencies(queryset: QuerySet, desa_codes: set[str]) -> Iterator[QuerySet]:
    """Rows inside the regencies of these desa: a few index ranges per query instead of a huge IN list
    (in groups, since SQLite caps the depth of an expression)."""
    regencies = sorted({ancestor_at(code, 2) for code in desa_codes})
    if len(regencies) > WHOLE_TABLE_FROM_REGENCIES:
        yield queryset.order_by()
        return
    for group in chunked(regencies, 100):
        ranges = Q()
        for regency in group:
            ranges |= within(regency)
        yield queryset.filter(ranges).order_by()


def voter_limits(desa_codes: set[str]) -> dict[str, int]:
    """The strictest maximum voters per TPS among the elections whose region holds each desa."""
    elections = list(Election.objects.values_list("region_id", "max_voters_per_tps"))
    return {
        desa: min([limit for region, limit in elections if is_within(desa, region)], default=LEGAL_MAX_VOTERS_PER_TPS)
        for desa in desa_codes
    }


def _diff(rows: list[TpsRow], existing: dict[str, dict]):
    new, changed, changes = [], [], []
    for r in rows:
        before = existing.get(r.code)
        if before is None:
            new.append(r)
        elif diff := changed_fields(before, r.values):
            changed.append(r)
            changes.append((r.code, diff))
    return new, changed, changes


_INSERT_FIELDS = ("code", "desa", "number", *FIELDS, "import_batch")


def _write(new: list[TpsRow], changed: list[TpsRow], batch_id: int, result: TpsImportResult) -> None:
    bulk_insert(
        PollingStation,
        _INSERT_FIELDS,
        ((r.code, r.desa, r.number, *(r.values[f] for f in FIELDS), batch_id) for r in new),
    )
    updated = [
        PollingStation(code=r.code, desa_id=r.desa, number=r.number, import_batch_id=batch_id, **r.values)
        for r in changed
    ]
    PollingStation.objects.bulk_update(updated, [*FIELDS, "import_batch"], batch_size=2000)
    result.added, result.updated = len(new), len(changed)


def _delete_missing(result: TpsImportResult) -> None:
    for code in result.missing_from_file:
        try:
            with transaction.atomic():
                PollingStation.objects.filter(code=code).delete()
            result.deleted.append(code)
        except ProtectedError:
            result.kept.append(code)


def _history(changes: list[tuple[str, dict]], result: TpsImportResult, actor: Any, batch_id: int):
    note = f"import #{batch_id}"
    for code, diff in changes:
        yield HistoryEntry(
            object_type="areas.pollingstation",
            object_key=code,
            action="updated",
            actor=actor,
            channel=Channel.IMPORT,
            changes=diff,
            note=note,
            area_code=code,
        )
    for code in result.deleted:
        yield HistoryEntry(
            object_type="areas.pollingstation",
            object_key=code,
            action="deleted",
            actor=actor,
            channel=Channel.IMPORT,
            note=note,
            area_code=code,
        )


def _totals_per_kecamatan(rows: list[TpsRow]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"tps": 0, "dpt": 0})
    for r in rows:
        kecamatan = ancestor_at(r.desa, KECAMATAN_DEPTH)
        totals[kecamatan]["tps"] += 1
        totals[kecamatan]["dpt"] += r.values["dpt_total"]
    return dict(sorted(totals.items()))
