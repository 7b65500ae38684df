"""Who reads and writes grants.

- The regency's finance office (keuangan) and Kesbangpol (koordinator) write agreements, addenda,
  disbursements and the ratification date; the Sekda (pimpinan) and the Inspectorate (inspektur)
  read everything in their area.
- A recipient agency's own members in its sector role (KPU operator, Bawaslu analyst, Polri or TNI
  planner) read their agency's agreements and post its spending reports and refunds. Refunds may
  also be recorded by the regional writers, who see the deposit arrive in the kas daerah.
- Everyone else sees the public totals only; internal pages answer 404.
"""

from typing import Any

from django.db.models import Q

from sinergi.accounts.access import Policy, agency_ids, is_national_admin, scope_filter
from sinergi.accounts.roles import Role
from sinergi.core.errors import Forbidden, NotFound

GRANTS = Policy(
    name="hibah",
    read=frozenset({Role.LEADER, Role.INSPECTOR, Role.FINANCE, Role.COORDINATOR}),
    write=frozenset({Role.FINANCE, Role.COORDINATOR}),
)
RECIPIENT_ROLES = frozenset({Role.KPU_OPERATOR, Role.BAWASLU_ANALYST, Role.POLICE_PLANNER, Role.MILITARY_PLANNER})
# Which side of the grant may post each kind of ledger entry.
REGION_KINDS = frozenset({"disbursement", "refund"})
RECIPIENT_KINDS = frozenset({"spending", "refund"})


def recipient_agency_ids(user: Any) -> set[int]:
    return agency_ids(user, RECIPIENT_ROLES)


def visible_filter(user: Any, field_prefix: str = "") -> Q:
    """Agreements the user may read: by area scope, or as a member of the recipient agency."""
    by_area = scope_filter(GRANTS.read_scopes(user), f"{field_prefix}region__code")
    own = recipient_agency_ids(user)
    if own:
        return by_area | Q(**{f"{field_prefix}recipient_id__in": sorted(own)})
    return by_area


def is_recipient_member(user: Any, agreement: Any) -> bool:
    return agreement.recipient_id in recipient_agency_ids(user)


def check_read(user: Any, agreement: Any) -> None:
    if not (GRANTS.can_read(user, agreement.region_id) or is_recipient_member(user, agreement)):
        raise NotFound("NPHD not found")


def check_terms(user: Any, agreement_region: str) -> None:
    """Creating or amending an agreement, or entering the ratification date."""
    if not GRANTS.can_read(user, agreement_region):
        raise NotFound("NPHD not found")
    if not GRANTS.can_write(user, agreement_region):
        raise Forbidden("hanya BPKAD (keuangan) dan Kesbangpol yang dapat mengubah NPHD")


def allowed_kinds(user: Any, agreement: Any) -> set[str]:
    if is_national_admin(user):
        # The national administrator may repair any ledger on behalf of either side.
        return set(REGION_KINDS | RECIPIENT_KINDS)
    kinds: set[str] = set()
    if GRANTS.can_write(user, agreement.region_id):
        kinds |= REGION_KINDS
    if is_recipient_member(user, agreement):
        kinds |= RECIPIENT_KINDS
    return kinds


def check_post(user: Any, agreement: Any, kind: str) -> None:
    """`kind` is the kind of the entry, or for a correction the kind of the entry it reverses."""
    check_read(user, agreement)
    if kind not in allowed_kinds(user, agreement):
        raise Forbidden(f"peran Anda tidak dapat mencatat entri '{kind}' pada NPHD ini")
