"""`sinergi import-tps`: a TPS list as CSV.

Columns: `tps_code` (or `desa_code` and `tps_number`), `dpt_male`, `dpt_female`, optional
`dpt_total`, `special` (1/0, ya/tidak, true/false), `lat`, `lng`, `address`.
All or nothing; unknown desa and DPT above the election's maximum per TPS are refused.

Streamed, so a national file (818,090 TPS) costs the memory of a chunk, not of the file: each row is
checked as it is read and the good ones go, a chunk at a time, into a temporary staging table (COPY on
PostgreSQL, executemany on SQLite). What needs the whole file (a TPS listed twice, an unknown desa, what
changed) is asked of the staging table in SQL, and one INSERT ... SELECT ... ON CONFLICT writes the TPS
table. All in one transaction (a refused file leaves nothing), the counters recomputed once at the end;
the staging table lives inside that transaction, so PgBouncer's transaction pooling is fine.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sinergi.areas import rollup
from sinergi.areas.batches import batch_open
from sinergi.areas.codes import (
    DESA_DEPTH,
    ancestor_at,
    is_within,
    normalise_tps_code,
    tps_code,
)
from sinergi.areas.models import Area, Election, Level, PollingStation
from sinergi.core.batching import chunked
from sinergi.core.csvfile import CsvRow, is_ascii_number, open_csv, require_columns
from sinergi.core.errors import ImportFailed, RowError
from sinergi.core.history import changed_fields, history_record_many
from sinergi.core.models import Channel, HistoryEntry

LEGAL_MAX_VOTERS_PER_TPS = 800  # UU 10/2016; an election may set fewer (600 for Pilkada 2024)
FIELDS = ("dpt_male", "dpt_female", "dpt_total", "is_special", "lat", "lng", "address")
_TRUE = {"1", "ya", "y", "true", "t", "yes"}
_FALSE = {"", "0", "tidak", "n", "false", "f", "no"}
_SPECIAL = _TRUE | _FALSE
_DECIMAL = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,12})?", re.ASCII)  # no exponent, NaN or full-width digits
MAX_ADDRESS_CHARS = 255
CHUNK_SIZE = 10_000  # rows held in memory at once
ERROR_LIMIT = 10_000  # a file this wrong is refused with its first errors, not all of them


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


Refusal = Callable[[TpsRow], RowError | None]


def import_tps(
    path: Path, *, delete_removed: bool = False, note: str = "", chunk_size: int = CHUNK_SIZE
) -> TpsImportResult:
    """The system's import (demo, calibration, tests): no user, so no access rule. A user's import
    goes through `atlas.tps_import.import_tps_guarded`, which holds the rows to that user's rule."""
    return apply_tps(path, delete_removed=delete_removed, note=note, chunk_size=chunk_size)


def apply_tps(
    path: Path,
    *,
    actor: Any = None,
    refuse: Refusal | None = None,
    delete_removed: bool = False,
    note: str = "",
    chunk_size: int = CHUNK_SIZE,
) -> TpsImportResult:
    """Read, check and write the file, all or nothing. `actor` is recorded, not checked: the caller's
    `refuse` names each row the actor may not write, and any such row refuses the whole file."""
    with transaction.atomic(), connection.cursor() as cursor:
        staging = _Staging(cursor)
        reading = _read_into(path, staging, refuse, chunk_size)
        _check_whole_file(staging, reading)
        result = _write(path, staging, reading, actor=actor, delete_removed=delete_removed, note=note)
        staging.drop()
    return result


@dataclass
class _Reading:
    """What streaming the file leaves behind: errors (bounded) and sets bounded by the desa, not the rows."""

    errors: list[RowError] = field(default_factory=list)
    outside: list[RowError] = field(default_factory=list)
    over_limit: list[tuple[str, RowError]] = field(default_factory=list)
    desa_codes: set[str] = field(default_factory=set)
    per_kecamatan: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: {"tps": 0, "dpt": 0}))
    rows: int = 0

    def refuse(self, errors: list[RowError]) -> None:
        raise ImportFailed(sorted(errors, key=lambda e: (e.line, e.column)))


def _read_into(path: Path, staging: "_Staging", refuse: Refusal | None, chunk_size: int) -> _Reading:
    reading = _Reading()
    limits = _VoterLimits()
    with open_csv(path, required={"dpt_male", "dpt_female"}) as stream:
        if "tps_code" not in stream.header:
            require_columns(stream.header, {"desa_code", "tps_number"})
        for chunk in chunked(stream.rows, chunk_size):
            staging.load(_checked(chunk, reading, limits, refuse))
            if len(reading.errors) + len(reading.outside) + len(reading.over_limit) >= ERROR_LIMIT:
                reading.refuse([*reading.errors, *(error for _desa, error in reading.over_limit)] or reading.outside)
    return reading


def _checked(chunk: list[CsvRow], reading: _Reading, limits: "_VoterLimits", refuse: Refusal | None) -> Iterator[tuple]:
    """The chunk's good rows as staging tuples; the others' errors go to `reading`."""
    for row in chunk:
        if row.errors:  # malformed (truncated, control characters, too long): reported as read
            reading.errors.extend(row.errors)
            continue
        tps, row_errors = _parse_row(row)
        if tps is None:
            reading.errors.extend(row_errors)
            continue
        if refuse is not None and (refusal := refuse(tps)) is not None:
            reading.outside.append(refusal)
        values = tps.values
        limit = limits.of(tps.desa)
        if values["dpt_total"] > limit:
            reading.over_limit.append(
                (
                    tps.desa,
                    RowError(
                        tps.line,
                        "dpt_total",
                        _("DPT %(dpt)s melebihi batas %(limit)s pemilih per TPS")
                        % {"dpt": values["dpt_total"], "limit": limit},
                    ),
                )
            )
        reading.desa_codes.add(tps.desa)
        totals = reading.per_kecamatan[tps.desa[:-5]]  # NN.NN.NN of NN.NN.NN.NNNN
        totals["tps"] += 1
        totals["dpt"] += values["dpt_total"]
        reading.rows += 1
        yield (
            tps.line,
            tps.code,
            tps.desa,
            tps.number,
            values["dpt_male"],
            values["dpt_female"],
            values["dpt_total"],
            values["is_special"],
            values["lat"],
            values["lng"],
            values["address"],
        )  # the order of _STAGED, spelled out: a generator per row costs a national file a second


_COLUMNS = (
    "tps_code",
    "desa_code",
    "tps_number",
    "dpt_male",
    "dpt_female",
    "dpt_total",
    "special",
    "lat",
    "lng",
    "address",
)


def _parse_row(row: CsvRow) -> tuple[TpsRow | None, list[RowError]]:
    line = row.line
    if row.extra_fields:
        return None, [RowError(line, "", _("nilai lebih banyak daripada kolom header"))]
    given = row.values
    text = {name: (given.get(name) or "").strip() for name in _COLUMNS}  # CsvRow.get for each, read once
    errors: list[RowError] = []
    code = _code(line, text, errors)
    counts = {name: _count(line, text, name, errors) for name in ("dpt_male", "dpt_female")}
    total = _count(line, text, "dpt_total", errors) if text["dpt_total"] else None
    if None not in counts.values():
        expected = int(counts["dpt_male"] or 0) + int(counts["dpt_female"] or 0)
        if total is not None and total != expected:
            errors.append(
                RowError(
                    line,
                    "dpt_total",
                    _("%(total)s bukan dpt_male + dpt_female = %(expected)s") % {"total": total, "expected": expected},
                )
            )
        total = expected
    special = text["special"].lower()
    if special not in _SPECIAL:
        errors.append(RowError(line, "special", _("'%(value)s' bukan 1/0 atau ya/tidak") % {"value": text["special"]}))
    lat = _coordinate(line, text, "lat", -11.5, 6.5, errors)
    lng = _coordinate(line, text, "lng", 94.5, 141.5, errors)
    if (lat is None) != (lng is None) and not any(e.column in ("lat", "lng") for e in errors):
        errors.append(
            RowError(line, "lat" if lat is None else "lng", _("isi lat dan lng sekaligus, atau kosongkan keduanya"))
        )
    if len(text["address"]) > MAX_ADDRESS_CHARS:
        errors.append(
            RowError(line, "address", _("lebih panjang dari %(limit)d karakter") % {"limit": MAX_ADDRESS_CHARS})
        )
    if errors or code is None:
        return None, errors
    desa, number = code[:-4], int(code[-3:])  # the code is a checked NN.NN.NN.NNNN.NNN
    values = {
        **counts,
        "dpt_total": total,
        "is_special": special in _TRUE,
        "lat": lat,
        "lng": lng,
        "address": text["address"],
    }
    return TpsRow(line, code, desa, number, values), []


def _code(line: int, text: dict[str, str], errors: list[RowError]) -> str | None:
    for column in ("tps_code", "desa_code"):
        if not text[column].isascii():  # the code patterns' \d also matches full-width digits
            errors.append(
                RowError(line, column, _("'%(value)s' berisi karakter selain 0-9 dan titik") % {"value": text[column]})
            )
            return None
    if text["tps_code"]:
        code = normalise_tps_code(text["tps_code"])
        if code is None:
            errors.append(
                RowError(
                    line,
                    "tps_code",
                    _("'%(value)s' bukan kode TPS seperti 64.02.06.1001.012") % {"value": text["tps_code"]},
                )
            )
        return code
    number = text["tps_number"]
    if not is_ascii_number(number) or not 1 <= int(number) <= 999:
        errors.append(RowError(line, "tps_number", _("'%(value)s' bukan nomor TPS 1 sampai 999") % {"value": number}))
        return None
    code = normalise_tps_code(tps_code(text["desa_code"], int(number)))
    if code is None:
        errors.append(
            RowError(
                line,
                "desa_code",
                _("'%(value)s' bukan kode desa seperti 64.02.06.1001") % {"value": text["desa_code"]},
            )
        )
    return code


def _count(line: int, text: dict[str, str], column: str, errors: list[RowError]) -> int | None:
    digits = text[column].replace(" ", "")
    if not is_ascii_number(digits):
        errors.append(
            RowError(
                line,
                column,
                _("'%(value)s' bukan jumlah pemilih berupa bilangan bulat") % {"value": text[column]},
            )
        )
        return None
    return int(digits)


def _coordinate(
    line: int, text: dict[str, str], column: str, low: float, high: float, errors: list[RowError]
) -> float | None:
    decimal = text[column].replace(",", ".")
    if not decimal:
        return None
    if not _DECIMAL.fullmatch(decimal):
        errors.append(RowError(line, column, _("'%(value)s' bukan angka seperti -0.4123") % {"value": text[column]}))
        return None
    value = float(decimal)
    if not low <= value <= high:
        errors.append(
            RowError(
                line,
                column,
                _("%(value)s di luar Indonesia (%(low)s sampai %(high)s)") % {"value": value, "low": low, "high": high},
            )
        )
        return None
    return value


class _VoterLimits:
    """The strictest maximum voters per TPS of each desa (see `voter_limits`), worked out once per desa."""

    def __init__(self) -> None:
        self.elections = list(Election.objects.values_list("region_id", "max_voters_per_tps"))
        self.known: dict[str, int] = {}

    def of(self, desa: str) -> int:
        limit = self.known.get(desa)
        if limit is None:
            limit = self.known[desa] = _strictest(desa, self.elections)
        return limit


def voter_limits(desa_codes: set[str]) -> dict[str, int]:
    """The strictest maximum voters per TPS among the elections whose region holds each desa."""
    elections = list(Election.objects.values_list("region_id", "max_voters_per_tps"))
    return {desa: _strictest(desa, elections) for desa in desa_codes}


def _strictest(desa: str, elections: list[tuple[str, int]]) -> int:
    return min([limit for region, limit in elections if is_within(desa, region)], default=LEGAL_MAX_VOTERS_PER_TPS)


_STAGED = ("line", "code", "desa_code", "number", *FIELDS)
_TPS_TABLE = PollingStation._meta.db_table
_WRITTEN = ("code", "desa_code", "number", *FIELDS)  # the TPS table's columns the file sets


class _Staging:
    """The file's good rows in a temporary table of this transaction, keyed by line."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"
        self.table = "pg_temp.tps_import_staging" if self.postgres else "temp.tps_import_staging"
        self.differs = "IS DISTINCT FROM" if self.postgres else "IS NOT"  # NULL-safe inequality
        cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
        cursor.execute(
            f"CREATE TABLE {self.table} (line integer PRIMARY KEY, code varchar(24) NOT NULL, "
            "desa_code varchar(20) NOT NULL, number integer NOT NULL, dpt_male integer NOT NULL, "
            "dpt_female integer NOT NULL, dpt_total integer NOT NULL, is_special boolean NOT NULL, "
            "lat double precision, lng double precision, address varchar(255) NOT NULL)"
            + (" ON COMMIT DROP" if self.postgres else "")
        )

    def load(self, rows: Iterable[tuple]) -> None:
        if self.postgres:
            with self.cursor.cursor.copy(f"COPY {self.table} ({', '.join(_STAGED)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(_STAGED))
            self.cursor.executemany(f"INSERT INTO {self.table} VALUES ({placeholders})", list(rows))

    def loaded(self) -> None:
        """Statistics (PostgreSQL never analyses a temporary table by itself) or an index for the joins."""
        if self.postgres:
            self.cursor.execute(f"ANALYZE {self.table}")
        else:
            self.cursor.execute("CREATE INDEX temp.tps_import_staging_code ON tps_import_staging (code)")

    def changed(self, staged: str = "s", stored: str = "p") -> str:
        """SQL true when a staged row differs from the stored TPS in any field the file sets."""
        return "(" + " OR ".join(f"{staged}.{name} {self.differs} {stored}.{name}" for name in FIELDS) + ")"

    def drop(self) -> None:
        self.cursor.execute(f"DROP TABLE {self.table}")


def _check_whole_file(staging: _Staging, reading: _Reading) -> None:
    """Refuse the file with every error found: row by row while reading, then across the file in SQL."""
    staging.loaded()
    errors = [*reading.errors, *_duplicates(staging)]
    unknown = _unknown_desa(staging)
    errors += [error for _desa, error in unknown]
    unknown_desa = {desa for desa, _error in unknown}
    errors += [error for desa, error in reading.over_limit if desa not in unknown_desa]
    if errors:
        reading.refuse(errors)
    if reading.outside:
        reading.refuse(reading.outside)


def _duplicates(staging: _Staging) -> list[RowError]:
    """Every repeat of a TPS after its first line; the repeats then leave the staging table, as a row
    refused while reading would (an unknown desa is named once, on the first line)."""
    staging.cursor.execute(
        f"SELECT s.line, s.code, f.first_line FROM {staging.table} s JOIN "
        f"(SELECT code, MIN(line) AS first_line FROM {staging.table} GROUP BY code HAVING COUNT(*) > 1) f "
        "ON f.code = s.code WHERE s.line > f.first_line ORDER BY s.line LIMIT %s",
        [ERROR_LIMIT],
    )
    repeats = staging.cursor.fetchall()
    for lines in chunked([line for line, _code, _first in repeats]):
        staging.cursor.execute(f"DELETE FROM {staging.table} WHERE line IN ({', '.join(['%s'] * len(lines))})", lines)
    return [
        RowError(line, "tps_code", _("TPS %(code)s ganda (pertama di baris %(line)d)") % {"code": code, "line": first})
        for line, code, first in repeats
    ]


def _unknown_desa(staging: _Staging) -> list[tuple[str, RowError]]:
    """Each line naming a desa that is not an active one: asked per distinct desa (84,000 for the nation),
    then the lines of the few unknown ones."""
    staging.cursor.execute(
        f"SELECT d.desa_code FROM (SELECT DISTINCT desa_code FROM {staging.table}) d WHERE NOT EXISTS "
        f"(SELECT 1 FROM {Area._meta.db_table} a WHERE a.code = d.desa_code AND a.level = %s AND a.is_active)",
        [Level.VILLAGE.value],
    )
    unknown = [desa for (desa,) in staging.cursor.fetchall()][:ERROR_LIMIT]
    if not unknown:
        return []
    staging.cursor.execute(
        f"SELECT line, desa_code FROM {staging.table} WHERE desa_code IN ({', '.join(['%s'] * len(unknown))}) "
        "ORDER BY line LIMIT %s",
        [*unknown, ERROR_LIMIT],
    )
    return [
        (desa, RowError(line, "tps_code", _("desa/kelurahan %(code)s tidak dikenal") % {"code": desa}))
        for line, desa in staging.cursor.fetchall()
    ]


def _write(
    path: Path, staging: _Staging, reading: _Reading, *, actor: Any, delete_removed: bool, note: str
) -> TpsImportResult:
    result = TpsImportResult(per_kecamatan=dict(sorted((k, dict(v)) for k, v in reading.per_kecamatan.items())))
    staged, existing, changed = _counts(staging)
    result.added, result.updated, result.unchanged = staged - existing, changed, existing - changed
    result.missing_from_file = _missing_from_file(staging)
    if not (result.added or result.updated or (delete_removed and result.missing_from_file)):
        return result
    regencies = sorted({ancestor_at(code, 2) for code in reading.desa_codes})
    batch = batch_open("tps", path, actor, {}, note=note, regencies=regencies)
    _record_changes(staging, actor, batch.pk)
    _upsert(staging, batch.pk, updated=result.updated, added=result.added)
    if delete_removed:
        _delete_missing(result)
        history_record_many(_deletions(result.deleted, actor, batch.pk))
    rollup.recompute(reading.desa_codes | {ancestor_at(code, DESA_DEPTH) for code in result.deleted})
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


def _counts(staging: _Staging) -> tuple[int, int, int]:
    """Rows of the file, how many TPS it names already exist, and how many of those it changes."""
    staging.cursor.execute(
        f"SELECT COUNT(*), COUNT(p.code), COALESCE(SUM(CASE WHEN p.code IS NOT NULL AND {staging.changed()} "
        f"THEN 1 ELSE 0 END), 0) FROM {staging.table} s LEFT JOIN {_TPS_TABLE} p ON p.code = s.code"
    )
    staged, existing, changed = staging.cursor.fetchone()
    return int(staged), int(existing), int(changed)


def _missing_from_file(staging: _Staging) -> list[str]:
    staging.cursor.execute(
        f"SELECT p.code FROM {_TPS_TABLE} p WHERE p.desa_code IN (SELECT desa_code FROM {staging.table}) "
        f"AND NOT EXISTS (SELECT 1 FROM {staging.table} s WHERE s.code = p.code) ORDER BY p.code"
    )
    return [code for (code,) in staging.cursor.fetchall()]


HISTORY_PAGE = 2000


def _record_changes(staging: _Staging, actor: Any, batch_id: int) -> None:
    """One history entry per changed TPS (old and new values), read a page at a time in file order."""
    after = ", ".join(f"s.{name}" for name in FIELDS)
    before = ", ".join(f"p.{name}" for name in FIELDS)
    sql = (
        f"SELECT s.line, s.code, {after}, {before} FROM {staging.table} s JOIN {_TPS_TABLE} p ON p.code = s.code "
        f"WHERE s.line > %s AND {staging.changed()} ORDER BY s.line LIMIT %s"
    )
    last = 0
    while True:
        staging.cursor.execute(sql, [last, HISTORY_PAGE])
        page = staging.cursor.fetchall()
        if not page:
            return
        history_record_many(_updates(page, actor, batch_id))
        last = page[-1][0]


def _updates(page: list[tuple], actor: Any, batch_id: int) -> Iterator[HistoryEntry]:
    width = len(FIELDS)
    for line_code_values in page:
        code, values = line_code_values[1], line_code_values[2:]
        after, before = dict(zip(FIELDS, values[:width], strict=True)), dict(zip(FIELDS, values[width:], strict=True))
        after["is_special"], before["is_special"] = bool(after["is_special"]), bool(before["is_special"])  # SQLite: 0/1
        yield _entry(code, "updated", actor, batch_id, changes=changed_fields(before, after))


def _upsert(staging: _Staging, batch_id: int, *, updated: int, added: int) -> None:
    """Changed TPS updated (and stamped with this batch), new ones inserted, unchanged ones left alone: two
    set-based statements rather than one ON CONFLICT, whose speculative insert costs a national import
    seconds when most rows are new."""
    if updated:
        assignments = ", ".join(f"{name} = s.{name}" for name in FIELDS)
        staging.cursor.execute(
            f"UPDATE {_TPS_TABLE} SET {assignments}, import_batch_id = %s FROM {staging.table} s "
            f"WHERE {_TPS_TABLE}.code = s.code AND {staging.changed('s', _TPS_TABLE)}",
            [batch_id],
        )
    if added:
        columns = ", ".join(_WRITTEN)
        staged = ", ".join(f"s.{name}" for name in _WRITTEN)
        staging.cursor.execute(
            f"INSERT INTO {_TPS_TABLE} ({columns}, import_batch_id) SELECT {staged}, %s FROM {staging.table} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {_TPS_TABLE} p WHERE p.code = s.code)",
            [batch_id],
        )


def _delete_missing(result: TpsImportResult) -> None:
    for code in result.missing_from_file:
        try:
            with transaction.atomic():
                PollingStation.objects.filter(code=code).delete()
            result.deleted.append(code)
        except ProtectedError:
            result.kept.append(code)


def _deletions(codes: list[str], actor: Any, batch_id: int) -> Iterator[HistoryEntry]:
    for code in codes:
        yield _entry(code, "deleted", actor, batch_id)


def _entry(code: str, action: str, actor: Any, batch_id: int, changes: dict | None = None) -> HistoryEntry:
    return HistoryEntry(
        object_type="areas.pollingstation",
        object_key=code,
        action=action,
        actor=actor,
        channel=Channel.IMPORT,
        changes=changes or {},
        note=f"import #{batch_id}",
        area_code=code,
    )
