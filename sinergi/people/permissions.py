"""Who reads and changes rosters.

- The coordinator (Kesbangpol) and the national admin manage every person in their area.
- A KPU operator manages the people of KPU-sector agencies (KPU, PPK, PPS, KPPS) in their area, a
  Bawaslu analyst those of Bawaslu-sector agencies (Bawaslu, Panwascam, PKD, Pengawas TPS).
- The read-only roles (leader, inspector, observer) read the rosters of their area, with phone
  numbers masked (`phone_visible`).
- Everyone else, and the outsider from another area, sees no roster at all.
"""


from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sinergi.accounts.access import ObjectAccess, Policy, memberships_of, read_only_refusal
from sinergi.accounts.models import Actor
from sinergi.accounts.roles import SECTOR_OF_KIND, Role, Sector
from sinergi.areas.codes import NATIONAL_CODE, is_within
from sinergi.areas.models import Area, within
from sinergi.people.models import Person

gettext_lazy("daftar petugas")  # the policy's name, for the catalogue
PEOPLE = Policy(
    name=gettext_noop("daftar petugas"),
    read=frozenset({Role.LEADER, Role.INSPECTOR, Role.OBSERVER}),
    write=frozenset({Role.COORDINATOR, Role.KPU_OPERATOR, Role.BAWASLU_ANALYST}),
)
ALL_SECTORS: frozenset[str] | None = None
_WRITERS: dict[str, frozenset[str] | None] = {
    Role.ADMIN: None,
    Role.COORDINATOR: None,
    Role.KPU_OPERATOR: frozenset({Sector.KPU}),
    Role.BAWASLU_ANALYST: frozenset({Sector.BAWASLU}),
}
_READERS = frozenset({Role.LEADER, Role.INSPECTOR, Role.OBSERVER})


def roster_scopes(user: Actor, *, write: bool = False) -> list[tuple[str, frozenset[str] | None]]:
    """(area code, sectors or None for all) in which the user reads (or writes) people."""
    found: list[tuple[str, frozenset[str] | None]] = []
    for role, area, _agency in memberships_of(user):
        if role in _WRITERS:
            found.append((area, _WRITERS[role]))
        elif not write and role in _READERS:
            found.append((area, ALL_SECTORS))
    return found


def _kinds(sectors: frozenset[str]) -> list[str]:
    return sorted(kind for kind, sector in SECTOR_OF_KIND.items() if sector in sectors)


def roster_filter(
    user: Actor, *, write: bool = False, area_field: str = "area__code", kind_field: str = "agency__kind"
) -> Q:
    """Persons the user reads (or writes); matches nothing without a scope."""
    scopes = roster_scopes(user, write=write)
    if not scopes:
        return Q(pk__in=[])
    combined = Q()
    for code, sectors in scopes:
        part = within(code, area_field) if code != NATIONAL_CODE else Q()
        if sectors is not None:
            part &= Q(**{f"{kind_field}__in": _kinds(sectors)})
        if not part:
            return Q()
        combined |= part
    return combined


def can_write_row(user: Actor, area_code: str, agency_kind: str) -> bool:
    """May the user put a person of an agency of this kind in this area on a roster?"""
    sector = SECTOR_OF_KIND.get(agency_kind)
    return any(
        is_within(area_code, code) and (sectors is None or sector in sectors)
        for code, sectors in roster_scopes(user, write=True)
    )


def phone_visible(user: Actor, person: Person) -> bool:
    """Phone numbers in clear only to those who manage the person; readers see them masked."""
    return person.area_id is not None and can_write_row(
        user, person.area_id, person.agency.kind if person.agency else ""
    )


def _person_refusal(user: Actor, person: Person) -> str | None:
    return None if phone_visible(user, person) else read_only_refusal(PEOPLE, _("orang ini"))


PERSON: ObjectAccess[Person] = ObjectAccess(
    kind="people.person",
    label=gettext_noop("orang"),
    queryset=lambda: Person.objects.select_related("user", "agency", "area", "tps"),
    readable=roster_filter,
    write_refusal=_person_refusal,
)


def _area_readable(user: Actor) -> Q:
    codes = {code for code, _sectors in roster_scopes(user)}
    if NATIONAL_CODE in codes:
        return Q()
    if not codes:
        return Q(pk__in=[])
    combined = Q()
    for code in codes:
        combined |= within(code)
    return combined


def _area_refusal(user: Actor, area: Area) -> str | None:
    writable = any(is_within(area.code, code) for code, _sectors in roster_scopes(user, write=True))
    return None if writable else read_only_refusal(PEOPLE)


# The roster of one area (list, export, activation sheets): read in the user's roster areas,
# sheets (which make activation links) only where the user manages people.
ROSTER_AREA: ObjectAccess[Area] = ObjectAccess(
    kind="people.roster_area",
    label=gettext_noop("daftar petugas"),
    queryset=Area.objects.all,
    readable=_area_readable,
    write_refusal=_area_refusal,
    key_field="code",
)
