"""`sinergi import-areas`: the Kemendagri area list (CSV: code,name,level,parent_code,type).

All or nothing: every bad row is reported and nothing is written. Re-importing the same
edition changes nothing; a newer edition reports added, renamed and removed codes. A removed
code is deleted only when asked and only if nothing refers to it; otherwise it is kept inactive.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sinergi.areas import rollup
from sinergi.areas.batches import batch_open
from sinergi.areas.codes import NATIONAL_CODE, desa_kind, level_of, parent_of
from sinergi.areas.models import Area, Level, within
from sinergi.core.bulk import bulk_insert
from sinergi.core.csvfile import CsvRow, read_csv_rows
from sinergi.core.errors import ImportFailed, RowError
from sinergi.core.history import history_record_many
from sinergi.core.models import Channel, HistoryEntry

COLUMNS = {"code", "name", "level", "parent_code", "type"}
_KINDS: dict[str, set[str]] = {
    Level.PROVINCE: {""},
    Level.REGENCY: {"kabupaten", "kota"},
    Level.DISTRICT: {""},
    Level.VILLAGE: {"desa", "kelurahan", "desa_adat"},
}


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    level: str
    parent: str
    kind: str


@dataclass
class AreaImportResult:
    added: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept_inactive: list[str] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.deleted or self.kept_inactive)


def parse_rows(rows: list[CsvRow]) -> list[AreaRow]:
    """Validate every row; raise ImportFailed listing all bad rows."""
    errors: list[RowError] = []
    parsed: dict[str, AreaRow] = {}
    for row in rows:
        if row.errors:  # malformed (truncated, control characters, too long): reported as read
            errors.extend(row.errors)
            continue
        area, row_errors = _parse_row(row, parsed)
        errors.extend(row_errors)
        if area:
            parsed[area.code] = area
    malformed = {row.get("code") for row in rows if row.errors}  # their children are not blamed twice
    known_parents = (
        set(parsed)
        | malformed
        | set(
            Area.objects.filter(code__in={a.parent for a in parsed.values()} - set(parsed)).values_list(
                "code", flat=True
            )
        )
    )
    for row in rows:
        area = parsed.get(row.get("code"))
        if area and area.level != Level.PROVINCE and area.parent not in known_parents:
            errors.append(RowError(row.line, "parent_code", _("wilayah induk %(code)s tidak dikenal") % {"code": area.parent}))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.line))
    return list(parsed.values())


def _parse_row(row: CsvRow, seen: dict[str, AreaRow]) -> tuple[AreaRow | None, list[RowError]]:
    if row.extra_fields:
        return None, [RowError(row.line, "", _("nilai lebih banyak daripada kolom header"))]
    code, name, level = row.get("code"), row.get("name"), row.get("level")
    parent, kind = row.get("parent_code"), row.get("type")
    errors = []
    for column in ("code", "parent_code"):
        if not row.get(column).isascii():  # the code patterns' \d also matches full-width digits
            errors.append(RowError(row.line, column, _("'%(value)s' berisi karakter selain 0-9 dan titik") % {"value": row.get(column)}))
    if errors:
        return None, errors
    if level not in _KINDS:
        errors.append(RowError(row.line, "level", _("tingkat '%(level)s' tidak dikenal (seharusnya salah satu dari %(expected)s)") % {"level": level, "expected": ", ".join(_KINDS)}))
    elif level_of(code) != level:
        errors.append(RowError(row.line, "code", _("'%(code)s' bukan kode %(level)s yang sah") % {"code": code, "level": level}))
    elif (parent or NATIONAL_CODE) != parent_of(code):
        errors.append(RowError(row.line, "parent_code", _("induk '%(parent)s' tidak sesuai dengan kode '%(code)s'") % {"parent": parent, "code": code}))
    elif kind not in _KINDS[level]:
        errors.append(RowError(row.line, "type", _("jenis '%(kind)s' tidak sah untuk %(level)s") % {"kind": kind, "level": level}))
    if not name:
        errors.append(RowError(row.line, "name", _("nama kosong")))
    elif len(name) > 120:
        errors.append(RowError(row.line, "name", _("nama lebih panjang dari 120 karakter")))
    if code in seen:
        errors.append(RowError(row.line, "code", _("kode %(code)s ganda") % {"code": code}))
    if errors:
        return None, errors
    return AreaRow(code, name, level, parent or NATIONAL_CODE, kind or _default_kind(code, level)), []


def _default_kind(code: str, level: str) -> str:
    return desa_kind(code) if level == Level.VILLAGE else ""


def import_areas(path: Path, *, actor: Any = None, delete_removed: bool = False) -> AreaImportResult:
    rows = parse_rows(read_csv_rows(path, required=COLUMNS).rows)
    result = AreaImportResult()
    with transaction.atomic():
        _ensure_national_root()
        existing = {
            code: (name, active) for code, name, active in _existing_in_provinces({r.code.split(".")[0] for r in rows})
        }
        new = [r for r in rows if r.code not in existing]
        result.added = [r.code for r in new]
        result.renamed = [
            (r.code, existing[r.code][0], r.name) for r in rows if r.code in existing and existing[r.code][0] != r.name
        ]
        reactivated = [r.code for r in rows if r.code in existing and not existing[r.code][1]]
        file_codes = {r.code for r in rows}
        result.removed = sorted(c for c, (_, active) in existing.items() if c not in file_codes and active)
        _write(new, result, reactivated)
        if result.removed:
            _retire(result, delete_removed)
        if result.changed or reactivated:
            rollup.recompute()
            batch = batch_open("areas", path, actor, _summary(result))
            result.batch_id = batch.pk
            _history(result, actor, batch.pk)
    return result


def _ensure_national_root() -> None:
    Area.objects.get_or_create(code=NATIONAL_CODE, defaults={"name": "Indonesia", "level": Level.NATIONAL})


def _existing_in_provinces(provinces: set[str]):
    query = Area.objects.none()
    for province in provinces:
        query = query | Area.objects.filter(within(province))
    return query.values_list("code", "name", "is_active").order_by()


_INSERT_FIELDS = (
    "code",
    "name",
    "level",
    "kind",
    "parent",
    "is_active",
    "children_count",
    "tps_count",
    "dpt_male",
    "dpt_female",
    "dpt_total",
)


def _write(new: list[AreaRow], result: AreaImportResult, reactivated: list[str]) -> None:
    ordered = sorted(new, key=lambda r: r.code)  # parents before children
    bulk_insert(
        Area, _INSERT_FIELDS, ((r.code, r.name, r.level, r.kind, r.parent, True, 0, 0, 0, 0, 0) for r in ordered)
    )
    for code, _old_name, new_name in result.renamed:
        Area.objects.filter(code=code).update(name=new_name)
    if reactivated:
        Area.objects.filter(code__in=reactivated).update(is_active=True)


def _retire(result: AreaImportResult, delete_removed: bool) -> None:
    # Children first, so that a parent whose children all go can go too.
    for code in sorted(result.removed, key=len, reverse=True):
        if delete_removed:
            try:
                with transaction.atomic():
                    Area.objects.filter(code=code).delete()
                result.deleted.append(code)
                continue
            except ProtectedError:
                pass
        result.kept_inactive.append(code)
    Area.objects.filter(code__in=result.kept_inactive).update(is_active=False)


def _summary(result: AreaImportResult) -> dict:
    return {
        "added": len(result.added),
        "renamed": [list(r) for r in result.renamed[:1000]],
        "removed": result.removed[:1000],
        "deleted": result.deleted[:1000],
        "kept_inactive": result.kept_inactive[:1000],
    }


def _history(result: AreaImportResult, actor: Any, batch_id: int) -> None:
    note = f"import #{batch_id}"
    entries = [
        HistoryEntry(
            object_type="areas.area",
            object_key=code,
            action="renamed",
            actor=actor,
            channel=Channel.IMPORT,
            changes={"name": [old, new]},
            note=note,
            area_code=code,
        )
        for code, old, new in result.renamed
    ]
    entries += [
        HistoryEntry(
            object_type="areas.area",
            object_key=code,
            action=action,
            actor=actor,
            channel=Channel.IMPORT,
            note=note,
            area_code=code,
        )
        for action, codes in (("deleted", result.deleted), ("deactivated", result.kept_inactive))
        for code in codes
    ]
    history_record_many(entries)
