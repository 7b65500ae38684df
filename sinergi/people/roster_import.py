"""`sinergi import-people FILE` and the roster upload page: a field roster as CSV.

Columns: `name`, `phone`, `role`, `agency`, `area_code`, optional `email`, `position`, `tps_code`.
`phone` may hold several numbers separated by `;` (the first listed is tried first until one is
verified). All or nothing: every bad row is named by line and column and nothing is stored. A row
whose phone is already on a roster updates that person; a file imported twice changes nothing.
No NIK is stored: a NIK-like column, or any column the format does not know, refuses the file.

Writes are bulk: plain multi-row INSERTs (`core.bulk.bulk_insert`) for new users, people, phones
and memberships, `bulk_update` for changed ones, so a national roster imports in minutes.
"""

import re
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency, Jurisdiction, Membership, User
from sinergi.accounts.roles import SECTOR_OF_KIND, Role, Sector
from sinergi.areas.batches import batch_open
from sinergi.areas.codes import ancestor_at, depth_of, is_within, normalise_tps_code
from sinergi.areas.models import Area, PollingStation
from sinergi.core.batching import chunked
from sinergi.core.bulk import bulk_insert
from sinergi.core.csvfile import CsvRow, read_csv_rows
from sinergi.core.errors import ImportFailed, RowError
from sinergi.core.history import changed_fields, history_record, history_record_many
from sinergi.core.models import HistoryEntry
from sinergi.core.sms import normalise_sender
from sinergi.people.models import Person, Phone
from sinergi.people.permissions import can_write_row
from sinergi.people.phones import to_e164

REQUIRED = ("name", "phone", "role", "agency", "area_code")
OPTIONAL = ("email", "position", "tps_code")
# Column names that would carry a national identity number (NIK) or an identity card.
NIK_COLUMNS = {"nik", "no_nik", "nomor_nik", "nik_ktp", "ktp", "no_ktp", "nomor_ktp", "nomor_induk_kependudukan", "kk"}
NIK_VALUE = re.compile(r"(?<!\d)\d{16}(?!\d)")
# Roles a roster may give. Leaders, coordinators, finance, inspectors and planners are granted in the
# admin, one by one: a CSV must not be a way to hand out management rights.
ROSTER_ROLES = (Role.KPU_OPERATOR, Role.BAWASLU_ANALYST, Role.FIELD_OFFICER, Role.OBSERVER)
SECTOR_OF_ROLE: dict[str, str] = {Role.KPU_OPERATOR: Sector.KPU, Role.BAWASLU_ANALYST: Sector.BAWASLU}
PHONE_SEPARATORS = re.compile(r"[;|]")
MAX_NAME = 150
MAX_POSITION = 120
MAX_PHONES = 5
PERSON_FIELDS = ("name", "email", "role", "agency", "area", "position", "tps")


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    phones: tuple[str, ...]
    role: str
    agency_id: int
    agency_kind: str
    area_code: str
    email: str
    position: str
    tps_code: str | None

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "agency": self.agency_id,
            "area": self.area_code,
            "position": self.position,
            "tps": self.tps_code,
        }


@dataclass
class PeopleImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    phones_added: int = 0
    new_user_ids: list[int] = field(default_factory=list)
    changes: list[tuple[int, str, dict[str, list[Any]]]] = field(default_factory=list)  # (line, name, diff)
    batch_id: int | None = None
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


@dataclass
class _Existing:
    person_id: int
    user_id: int
    values: dict[str, Any]
    phones: set[str]
    agency_kind: str


def import_people(
    path: Path, *, actor: Any = None, dry_run: bool = False, note: str = "", preview_limit: int = 200
) -> PeopleImportResult:
    """Import the roster in `path`; `dry_run` computes the changes (for the preview) and stores nothing."""
    table = read_csv_rows(path, required=set(REQUIRED))
    _check_header(table.header)
    rows = _parse(table.rows, actor)
    result = PeopleImportResult(dry_run=dry_run)
    with transaction.atomic():
        existing = _existing(rows)
        _check_owners(rows, existing, actor)
        new, changed = _diff(rows, existing, result, preview_limit)
        if dry_run or not (new or changed):
            return result
        regencies = sorted({ancestor_at(r.area_code, 2) for r in rows if depth_of(r.area_code) >= 2})
        batch = batch_open("people", path, actor, {}, note=note, regencies=regencies)
        now = timezone.now()
        result.new_user_ids = _insert(new, now)
        _update(changed, now, actor, batch.pk)
        batch.summary = {"added": result.added, "updated": result.updated, "unchanged": result.unchanged}
        batch.save(update_fields=["summary"])
        history_record(
            object_type="people.import",
            object_key=str(batch.pk),
            action="imported",
            actor=actor,
            changes=batch.summary | {"phones_added": result.phones_added, "file": path.name},
            area_code=regencies[0] if len(regencies) == 1 else "",
        )
        result.batch_id = batch.pk
    return result


# --- reading and checking ---


def _check_header(header: list[str]) -> None:
    errors = []
    for number, name in enumerate(header, start=1):
        key = name.strip().lower()
        if key in NIK_COLUMNS or "nik" in key.split("_"):
            errors.append(RowError(1, name, _("kolom NIK/KTP ditolak: Sinergi tidak menyimpan NIK; hapus kolom ini")))
        elif key not in REQUIRED and key not in OPTIONAL:
            errors.append(
                RowError(
                    1,
                    name or str(number),
                    _("kolom tidak dikenal; kolom yang diterima: %(columns)s")
                    % {"columns": ", ".join(REQUIRED + OPTIONAL)},
                )
            )
    if errors:
        raise ImportFailed(errors)


def _parse(rows: list[CsvRow], actor: Any) -> list[RosterRow]:
    refs = _references(rows)
    errors: list[RowError] = []
    parsed: list[RosterRow] = []
    phone_line: dict[str, int] = {}
    for row in rows:
        if row.errors:
            errors.extend(row.errors)
            continue
        if row.extra_fields:
            errors.append(RowError(row.line, "", _("lebih banyak nilai daripada kolom header")))
            continue
        roster_row, row_errors = _parse_row(row, refs, actor)
        if roster_row is not None:
            for phone in roster_row.phones:
                if phone in phone_line:
                    row_errors.append(
                        RowError(
                            row.line,
                            "phone",
                            _("nomor %(phone)s sudah ada di baris %(line)s")
                            % {"phone": phone, "line": phone_line[phone]},
                        )
                    )
        errors.extend(row_errors)
        if roster_row is not None and not row_errors:
            phone_line.update(dict.fromkeys(roster_row.phones, row.line))
            parsed.append(roster_row)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.line, e.column)))
    if not parsed:
        raise ImportFailed([RowError(1, "", _("berkas tidak berisi satu baris pun"))])
    return parsed


@dataclass
class _References:
    agencies: dict[str, tuple[int, str, tuple[str, ...]]]  # code -> (id, kind, covered area codes)
    areas: dict[str, bool]  # code -> active
    stations: dict[str, str]  # TPS code -> desa code


def _references(rows: list[CsvRow]) -> _References:
    agency_codes = {row.get("agency") for row in rows}
    area_codes = {row.get("area_code") for row in rows}
    tps_codes = {code for row in rows if (code := normalise_tps_code(row.get("tps_code")))}
    agencies: dict[str, tuple[int, str, tuple[str, ...]]] = {}
    covers: dict[int, list[str]] = defaultdict(list)
    for chunk in chunked(sorted(agency_codes)):
        for pk, code, kind, area in Agency.objects.filter(code__in=chunk).values_list("id", "code", "kind", "area_id"):
            agencies[code] = (pk, kind, (area,))
    ids = [pk for pk, _kind, _areas in agencies.values()]
    for id_chunk in chunked(ids):
        for agency_id, area in Jurisdiction.objects.filter(agency_id__in=id_chunk).values_list("agency_id", "area_id"):
            covers[agency_id].append(area)
    agencies = {code: (pk, kind, (*seat, *covers[pk])) for code, (pk, kind, seat) in agencies.items()}
    areas: dict[str, bool] = {}
    for chunk in chunked(sorted(area_codes)):
        areas.update(Area.objects.filter(code__in=chunk).values_list("code", "is_active"))
    stations: dict[str, str] = {}
    for chunk in chunked(sorted(tps_codes)):
        stations.update(PollingStation.objects.filter(code__in=chunk).values_list("code", "desa_id"))
    return _References(agencies, areas, stations)


def _parse_row(row: CsvRow, refs: _References, actor: Any) -> tuple[RosterRow | None, list[RowError]]:
    line = row.line
    errors: list[RowError] = []
    name = " ".join(row.get("name").split())
    if not name:
        errors.append(RowError(line, "name", _("nama kosong")))
    elif len(name) > MAX_NAME:
        errors.append(RowError(line, "name", _("nama lebih dari %(n)s karakter") % {"n": MAX_NAME}))
    phones = _phones(row, errors)
    role = row.get("role").lower()
    if role not in ROSTER_ROLES:
        reason = (
            _("peran %(role)s tidak dapat diberikan lewat daftar petugas; berikan di admin")
            if role in Role.values
            else _("peran %(role)s tidak dikenal")
        )
        errors.append(
            RowError(line, "role", reason % {"role": role or "''"} + "; " + _("pilih: %s") % ", ".join(ROSTER_ROLES))
        )
    agency = refs.agencies.get(row.get("agency"))
    if agency is None:
        errors.append(
            RowError(line, "agency", _("lembaga %(code)s tidak dikenal") % {"code": row.get("agency") or "''"})
        )
    area_code = row.get("area_code")
    if area_code not in refs.areas:
        errors.append(RowError(line, "area_code", _("wilayah %(code)s tidak dikenal") % {"code": area_code or "''"}))
    elif not refs.areas[area_code]:
        errors.append(RowError(line, "area_code", _("wilayah %(code)s sudah tidak berlaku") % {"code": area_code}))
    elif agency is not None and not any(is_within(area_code, covered) for covered in agency[2]):
        errors.append(
            RowError(
                line,
                "area_code",
                _("wilayah %(code)s berada di luar wilayah lembaga %(agency)s")
                % {"code": area_code, "agency": row.get("agency")},
            )
        )
    if agency is not None and role in SECTOR_OF_ROLE and SECTOR_OF_KIND[agency[1]] != SECTOR_OF_ROLE[role]:
        errors.append(
            RowError(
                line,
                "role",
                _("peran %(role)s tidak cocok dengan lembaga %(agency)s") % {"role": role, "agency": row.get("agency")},
            )
        )
    email = row.get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(RowError(line, "email", _("'%(value)s' bukan alamat e-mail") % {"value": email}))
    position = " ".join(row.get("position").split())
    if len(position) > MAX_POSITION:
        errors.append(RowError(line, "position", _("jabatan lebih dari %(n)s karakter") % {"n": MAX_POSITION}))
    for column, value in (("name", name), ("position", position)):
        if NIK_VALUE.search(value):
            errors.append(RowError(line, column, _("berisi 16 angka seperti NIK; Sinergi tidak menyimpan NIK")))
    tps_code = _tps(row, refs, area_code, errors)
    if not errors and agency is not None and actor is not None and not can_write_row(actor, area_code, agency[1]):
        errors.append(
            RowError(
                line,
                "agency",
                _("Anda tidak dapat mengelola petugas %(agency)s di %(area)s")
                % {"agency": row.get("agency"), "area": area_code},
            )
        )
    if errors or agency is None:
        return None, errors
    return RosterRow(line, name, phones, role, agency[0], agency[1], area_code, email, position, tps_code), []


def _phones(row: CsvRow, errors: list[RowError]) -> tuple[str, ...]:
    raw = row.get("phone")
    parts = [part.strip() for part in PHONE_SEPARATORS.split(raw) if part.strip()]
    if not parts:
        errors.append(RowError(row.line, "phone", _("nomor HP kosong")))
        return ()
    if len(parts) > MAX_PHONES:
        errors.append(RowError(row.line, "phone", _("paling banyak %(n)s nomor per orang") % {"n": MAX_PHONES}))
        return ()
    found: list[str] = []
    for part in parts:
        try:
            phone = to_e164(part)
        except ValueError as exc:
            errors.append(RowError(row.line, "phone", f"'{part}': {exc}"))
            continue
        if phone not in found:
            found.append(phone)
    return tuple(found)


def _tps(row: CsvRow, refs: _References, area_code: str, errors: list[RowError]) -> str | None:
    raw = row.get("tps_code")
    if not raw:
        return None
    code = normalise_tps_code(raw) if raw.isascii() else None
    if code is None:
        errors.append(
            RowError(row.line, "tps_code", _("'%(value)s' bukan kode TPS seperti 64.02.06.1001.012") % {"value": raw})
        )
        return None
    desa = refs.stations.get(code)
    if desa is None:
        errors.append(RowError(row.line, "tps_code", _("TPS %(code)s tidak dikenal") % {"code": code}))
        return None
    if area_code in refs.areas and not is_within(desa, area_code):
        errors.append(
            RowError(
                row.line,
                "tps_code",
                _("TPS %(code)s tidak berada di wilayah %(area)s") % {"code": code, "area": area_code},
            )
        )
    return code


# --- matching with what is stored ---


def _existing(rows: list[RosterRow]) -> dict[str, _Existing]:
    """Stored people by each of their phones, for the phones of the file."""
    owner: dict[str, int] = {}
    for chunk in chunked([phone for r in rows for phone in r.phones]):
        owner.update(Phone.objects.filter(e164__in=chunk).values_list("e164", "person_id"))
    people: dict[int, _Existing] = {}
    for id_chunk in chunked(sorted(set(owner.values()))):
        query = Person.objects.filter(pk__in=id_chunk).values_list(
            "pk",
            "user_id",
            "user__first_name",
            "user__last_name",
            "user__email",
            "role",
            "agency_id",
            "area_id",
            "position",
            "tps_id",
            "agency__kind",
        )
        for pk, user_id, first, last, email, role, agency, area, position, tps, kind in query:
            values = {
                "name": " ".join(part for part in (first, last) if part),
                "email": email,
                "role": role,
                "agency": agency,
                "area": area,
                "position": position,
                "tps": tps,
            }
            people[pk] = _Existing(pk, user_id, values, set(), kind or "")
    for id_chunk in chunked(sorted(people)):
        for person_id, phone in Phone.objects.filter(person_id__in=id_chunk).values_list("person_id", "e164"):
            people[person_id].phones.add(phone)
    return {phone: people[person_id] for phone, person_id in owner.items()}


def _check_owners(rows: list[RosterRow], existing: dict[str, _Existing], actor: Any) -> None:
    errors: list[RowError] = []
    seen: dict[int, int] = {}
    for r in rows:
        owners = {existing[p].person_id: existing[p] for p in r.phones if p in existing}
        if len(owners) > 1:
            errors.append(RowError(r.line, "phone", _("nomor-nomor di baris ini milik orang yang berbeda")))
            continue
        for person_id, person in owners.items():
            if person_id in seen:
                errors.append(
                    RowError(r.line, "phone", _("orang yang sama dengan baris %(line)s") % {"line": seen[person_id]})
                )
            seen[person_id] = r.line
            area = person.values["area"]
            if actor is not None and not (area and can_write_row(actor, area, person.agency_kind)):
                errors.append(
                    RowError(r.line, "phone", _("nomor ini sudah terdaftar untuk petugas di luar wewenang Anda"))
                )
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.line, e.column)))


def _diff(
    rows: list[RosterRow], existing: dict[str, _Existing], result: PeopleImportResult, limit: int
) -> tuple[list[RosterRow], list[tuple[RosterRow, _Existing, dict, list[str]]]]:
    new: list[RosterRow] = []
    changed: list[tuple[RosterRow, _Existing, dict, list[str]]] = []
    for r in rows:
        person = next((existing[p] for p in r.phones if p in existing), None)
        if person is None:
            new.append(r)
            result.added += 1
            continue
        diff = changed_fields(person.values, r.values())
        added_phones = [p for p in r.phones if p not in person.phones]
        if added_phones:
            diff["phone"] = [sorted(person.phones), sorted(person.phones | set(added_phones))]
        if not diff:
            result.unchanged += 1
            continue
        result.updated += 1
        result.phones_added += len(added_phones)
        changed.append((r, person, diff, added_phones))
        if len(result.changes) < limit:
            result.changes.append((r.line, r.name, diff))
    result.phones_added += sum(len(r.phones) for r in new)
    return new, changed


# --- writing ---


def username_base(name: str) -> str:
    return slugify(name).replace("-", ".")[:24].strip(".") or "petugas"


def _usernames(rows: list[RosterRow]) -> list[str]:
    """A stable username per new person: name and the last four digits of the first phone
    (siti.rahma.7890), or with the whole number when that is taken."""
    first = [f"{username_base(r.name)}.{r.phones[0][-4:]}" for r in rows]
    taken: set[str] = set()
    for chunk in chunked(sorted(set(first))):
        taken.update(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    chosen: list[str] = []
    used: set[str] = set()
    fallback_rows: list[int] = []
    for index, candidate in enumerate(first):
        if candidate in taken or candidate in used:
            chosen.append("")
            fallback_rows.append(index)
        else:
            chosen.append(candidate)
            used.add(candidate)
    if fallback_rows:
        longer = {i: f"{username_base(rows[i].name)}.{rows[i].phones[0][3:]}" for i in fallback_rows}
        taken = set(User.objects.filter(username__in=list(longer.values())).values_list("username", flat=True))
        for i, candidate in longer.items():
            name, suffix = candidate, 2
            while name in taken or name in used:
                name, suffix = f"{candidate}.{suffix}", suffix + 1
            chosen[i] = name
            used.add(name)
    return chosen


def unusable_password() -> str:
    """What Django's `set_unusable_password` stores ("!" + random), without its slow per-call generator."""
    return "!" + secrets.token_urlsafe(30)


def _split(name: str) -> tuple[str, str]:
    first, _sep, last = name.partition(" ")
    return first, last


_USER_FIELDS = (
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "phone",
    "phone_digits",
    "preferred_language",
)


def _insert(rows: list[RosterRow], now: Any) -> list[int]:
    if not rows:
        return []
    usernames = _usernames(rows)
    bulk_insert(
        User,
        _USER_FIELDS,
        (
            (
                unusable_password(),
                False,
                username,
                *_split(r.name),
                r.email,
                False,
                True,
                now,
                r.phones[0],
                normalise_sender(r.phones[0]),
                "id",
            )
            for r, username in zip(rows, usernames, strict=True)
        ),
    )
    user_ids = _ids(User, "username", usernames)
    user_of = [user_ids[u] for u in usernames]
    bulk_insert(
        Person,
        ("user", "role", "agency", "area", "position", "tps", "preferred_channel", "created_at", "updated_at"),
        (
            (user_id, r.role, r.agency_id, r.area_code, r.position, r.tps_code, "", now, now)
            for r, user_id in zip(rows, user_of, strict=True)
        ),
    )
    person_ids = _ids(Person, "user_id", user_of)
    _insert_phones((person_ids[user_id], r.phones) for r, user_id in zip(rows, user_of, strict=True))
    bulk_insert(
        Membership,
        ("user", "agency", "role", "area", "title"),
        ((user_id, r.agency_id, r.role, r.area_code, r.position) for r, user_id in zip(rows, user_of, strict=True)),
    )
    return user_of


def _insert_phones(people: Iterable[tuple[int, Iterable[str]]]) -> None:
    """Phones in reverse order of the file, so that among unverified numbers (ordered newest id
    first) the first one listed is tried first."""
    now = timezone.now()
    bulk_insert(
        Phone,
        ("person", "e164", "verified_at", "created_at"),
        ((person_id, phone, None, now) for person_id, phones in people for phone in reversed(list(phones))),
    )


def _ids(model: Any, key: str, values: list[Any]) -> dict[Any, int]:
    found: dict[Any, int] = {}
    for chunk in chunked(values):
        found.update(model.objects.filter(**{f"{key}__in": chunk}).values_list(key, "pk"))
    return found


def _update(changed: list[tuple[RosterRow, _Existing, dict, list[str]]], now: Any, actor: Any, batch_id: int) -> None:
    if not changed:
        return
    users = []
    people = []
    moved: list[tuple[RosterRow, _Existing]] = []
    for r, person, diff, _phones in changed:
        if {"name", "email"} & diff.keys():
            first, last = _split(r.name)
            users.append(User(pk=person.user_id, first_name=first, last_name=last, email=r.email))
        if {"role", "agency", "area", "position", "tps"} & diff.keys():
            people.append(
                Person(
                    pk=person.person_id,
                    role=r.role,
                    agency_id=r.agency_id,
                    area_id=r.area_code,
                    position=r.position,
                    tps_id=r.tps_code,
                    updated_at=now,
                )
            )
        if {"role", "agency", "area", "position"} & diff.keys():
            moved.append((r, person))
    User.objects.bulk_update(users, ["first_name", "last_name", "email"], batch_size=2000)
    Person.objects.bulk_update(people, ["role", "agency", "area", "position", "tps", "updated_at"], batch_size=2000)
    _move_memberships(moved)
    _insert_phones((person.person_id, phones) for _r, person, _diff, phones in changed if phones)
    history_record_many(
        HistoryEntry(
            object_type="people.person",
            object_key=str(person.person_id),
            action="updated",
            actor=actor if getattr(actor, "pk", None) else None,
            changes=diff,
            note=f"import #{batch_id}",
            area_code=r.area_code,
        )
        for r, person, diff, _phones in changed
    )


def _move_memberships(moved: list[tuple[RosterRow, _Existing]]) -> None:
    """The roster membership follows the row: the old (agency, role, area) goes and the row's one is
    written afresh (with the row's position as its title)."""
    for group in chunked(moved, 500):
        stale = Q(pk__in=[])
        for r, person in group:
            before = person.values
            if before["agency"] and before["role"] and before["area"]:
                stale |= Q(
                    user_id=person.user_id, agency_id=before["agency"], role=before["role"], area_id=before["area"]
                )
            stale |= Q(user_id=person.user_id, agency_id=r.agency_id, role=r.role, area_id=r.area_code)
        Membership.objects.filter(stale).delete()
        Membership.objects.bulk_create(
            Membership(user_id=p.user_id, agency_id=r.agency_id, role=r.role, area_id=r.area_code, title=r.position)
            for r, p in group
        )
