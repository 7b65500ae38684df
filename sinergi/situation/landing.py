"""Where a user lands after signing in (pure: memberships in, a destination out).

Leaders (national administrator, pimpinan daerah, Kesbangpol coordinator) land on the situation
room of the widest area they lead: the first screen answers "are we ready, what is wrong now".
Field roles land where they work, the field app (a Pengawas TPS, a PKD, a Panwascam; a KPU
operator of a desa or TPS). Everyone else lands on the home page with their areas and modules.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sinergi.accounts.roles import Role
from sinergi.areas.codes import LEVELS, NATIONAL_CODE, level_of

LEADER_ROLES = frozenset({Role.ADMIN.value, Role.LEADER.value, Role.COORDINATOR.value})
FIELD_ROLES = frozenset({Role.FIELD_OFFICER.value})
# A KPU operator of a desa or a TPS reports from the field; one of a kecamatan or above works at a desk.
FIELD_FROM_LEVEL = LEVELS.index("desa_kelurahan")

ROOM, FIELD, HOME = "room", "field", "home"


@dataclass(frozen=True)
class Landing:
    kind: str  # room | field | home
    area_code: str | None = None  # the room's area


def _depth(code: str) -> int:
    level = level_of(code)
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def _works_in_the_field(role: str, code: str) -> bool:
    return role in FIELD_ROLES or (role == Role.KPU_OPERATOR.value and _depth(code) >= FIELD_FROM_LEVEL)


def landing_for(memberships: Iterable[tuple[str, str]]) -> Landing:
    """`memberships`: (role, area code) pairs, the national administrator's included."""
    held = list(memberships)
    led = sorted((code for role, code in held if role in LEADER_ROLES), key=lambda c: (_depth(c), c))
    if led:
        return Landing(ROOM, NATIONAL_CODE if NATIONAL_CODE in led else led[0])
    if held and all(_works_in_the_field(role, code) for role, code in held):
        return Landing(FIELD)
    return Landing(HOME)
