"""Who may reach whom: one policy and one `ObjectAccess` per object type.

- Read (the rehearsal board, the call list without phones, broadcasts and their delivery boards):
  the senders below plus the read-only roles (leader, inspector, observer), within their areas.
- Write (send and approve broadcasts, record calls, see phones on the call list): coordinators and the
  administrator for everyone; KPU operators and Bawaslu analysts only for their own sector's people
  (a KPU operator reaches KPPS, PPS and PPK, not Babinsa or PKD).
- A broadcast is approved by a second writer over its area and sector who is not its sender.
"""


from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sinergi.accounts.access import ObjectAccess, Policy, area_access, memberships_of, read_only_refusal, scope_filter
from sinergi.accounts.models import Actor
from sinergi.accounts.roles import SECTOR_OF_KIND, AgencyKind, Role, Sector
from sinergi.areas.codes import is_within
from sinergi.reach.models import Broadcast, BroadcastState

WRITE_ROLES = frozenset({Role.COORDINATOR, Role.KPU_OPERATOR, Role.BAWASLU_ANALYST, Role.ADMIN})
REACH = Policy(
    name=gettext_noop("jangkauan"),
    read=frozenset({Role.LEADER, Role.INSPECTOR, Role.OBSERVER}),
    write=WRITE_ROLES,
)

# Roles that reach every sector; the others only the agency kinds of their own sector.
ALL_SECTORS_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})
SECTOR_OF_ROLE = {Role.KPU_OPERATOR: Sector.KPU, Role.BAWASLU_ANALYST: Sector.BAWASLU}
ALL_KINDS = frozenset(AgencyKind.values)

# The areas whose rehearsal board and call list a user opens (the route guard of those pages).
REACH_AREA = area_access(REACH, "reach.area")


def kinds_writable(user: Actor, area_code: str) -> frozenset[str]:
    """The agency kinds whose people the user may message or call in this area."""
    kinds: set[str] = set()
    for role, scope, _agency in memberships_of(user):
        if not is_within(area_code, scope):
            continue
        if role in ALL_SECTORS_ROLES:
            return ALL_KINDS
        sector = SECTOR_OF_ROLE.get(role)  # type: ignore[call-overload]
        if sector is not None:
            kinds |= {kind for kind, of in SECTOR_OF_KIND.items() if of == sector}
    return frozenset(kinds)


def sector_refusal(user: Actor, area_code: str, agency_kinds: list[str]) -> str | None:
    """Why the user may not reach these agency kinds in this area (an empty list means every kind)."""
    allowed = kinds_writable(user, area_code)
    if not allowed:
        return read_only_refusal(REACH)
    wanted = set(agency_kinds) or set(ALL_KINDS)
    outside = sorted(wanted - allowed)
    if outside:
        return str(
            _("peran Anda hanya dapat menjangkau instansi sektornya sendiri, bukan: %(kinds)s")
            % {"kinds": ", ".join(outside)}
        )
    return None


def _broadcast_refusal(user: Actor, broadcast: Broadcast) -> str | None:
    return sector_refusal(user, broadcast.area_id, broadcast.agency_kinds)


BROADCAST: ObjectAccess[Broadcast] = ObjectAccess(
    kind="reach.broadcast",
    label=gettext_lazy("Siaran"),  # type: ignore[arg-type]
    queryset=lambda: Broadcast.objects.select_related("area", "created_by", "approved_by"),
    readable=lambda user: scope_filter(REACH.read_scopes(user), "area__code"),
    write_refusal=_broadcast_refusal,
)


def approval_refusal(user: Actor, broadcast: Broadcast) -> str | None:
    """Why the user may not approve this broadcast: another writer over its area and sector must."""
    if broadcast.state != BroadcastState.PENDING:
        return str(_("siaran ini tidak menunggu persetujuan"))
    if broadcast.created_by_id == getattr(user, "pk", None):
        return str(_("pengirim tidak dapat menyetujui siarannya sendiri; minta rekan lain menyetujui"))
    return _broadcast_refusal(user, broadcast)
