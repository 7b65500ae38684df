"""Who reads and writes grants: the one place, as `ObjectAccess` rules (accounts.access).

- The regency's finance office (keuangan) and Kesbangpol (koordinator) write agreements, addenda,
  disbursements and the ratification date; the Sekda (pimpinan) and the Inspectorate (inspektur)
  read everything in their area.
- A recipient agency's own members in its sector role (KPU operator, Bawaslu analyst, Polri or TNI
  planner) read their agency's agreements and post its spending reports and refunds. Refunds may
  also be recorded by the regional writers, who see the deposit arrive in the kas daerah.
- Everyone else sees the public totals only; internal pages answer 404.

Rules (each with a unique kind, read by the route matrix):

- `REGIONS` ("grants.region"): the region pages `/hibah/<code>/…`, by area code. Read by the policy's
  roles in their area, and by a recipient member on the region of its own agreement (and the
  province and nation above it, where the overview lists only its agreements). Write (new NPHD,
  ratification date, budget figures) by the policy's writers in the area.
- `AGREEMENTS` ("grants.agreement"): one NPHD and its ledger, by (election slug, recipient code),
  or by primary key in services. Write = post to its ledger: refused when the NPHD is closed or
  the user may post no kind of entry (`allowed_kinds`); `check_post` then decides the kind.
- `AGREEMENT_TERMS` ("grants.agreement.terms"): the same NPHD, for its terms (addendum, close):
  written by the region's writers only.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sinergi.accounts.access import (
    ObjectAccess,
    Policy,
    agency_ids,
    is_national_admin,
    read_only_refusal,
    scope_filter,
)
from sinergi.accounts.guards import Guard
from sinergi.accounts.models import Actor
from sinergi.accounts.roles import Role
from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Area
from sinergi.core.errors import Forbidden
from sinergi.grants.models import Agreement, AgreementStatus

GRANTS = Policy(
    name=gettext_noop("hibah"),
    read=frozenset({Role.LEADER, Role.INSPECTOR, Role.FINANCE, Role.COORDINATOR}),
    write=frozenset({Role.FINANCE, Role.COORDINATOR}),
)
RECIPIENT_ROLES = frozenset({Role.KPU_OPERATOR, Role.BAWASLU_ANALYST, Role.POLICE_PLANNER, Role.MILITARY_PLANNER})
# Which side of the grant may post each kind of ledger entry.
REGION_KINDS = frozenset({"disbursement", "refund"})
RECIPIENT_KINDS = frozenset({"spending", "refund"})


def recipient_agency_ids(user: Actor) -> set[int]:
    return agency_ids(user, RECIPIENT_ROLES)


def is_recipient_member(user: Actor, agreement: Agreement) -> bool:
    return agreement.recipient_id in recipient_agency_ids(user)


# --- agreements ----------------------------------------------------------------------------------


def agreements_readable(user: Actor, field_prefix: str = "") -> Q:
    """Agreements the user may read: by area scope, or as a member of the recipient agency."""
    by_area = scope_filter(GRANTS.read_scopes(user), f"{field_prefix}region__code")
    own = recipient_agency_ids(user)
    if own:
        return by_area | Q(**{f"{field_prefix}recipient_id__in": sorted(own)})
    return by_area


def allowed_kinds(user: Actor, agreement: Agreement) -> set[str]:
    """The kinds of ledger entry the user may post on this agreement (a correction counts as the
    kind of the entry it reverses)."""
    if is_national_admin(user):
        # The national administrator may repair any ledger on behalf of either side.
        return set(REGION_KINDS | RECIPIENT_KINDS)
    kinds: set[str] = set()
    if GRANTS.can_write(user, agreement.region_id):
        kinds |= REGION_KINDS
    if is_recipient_member(user, agreement):
        kinds |= RECIPIENT_KINDS
    return kinds


def check_post(user: Actor, agreement: Agreement, kind: str) -> None:
    """`kind` is the kind of the entry, or for a correction the kind of the entry it reverses.
    The caller got `agreement` through `AGREEMENTS.get(user, ..., write=True)`."""
    if kind not in allowed_kinds(user, agreement):
        raise Forbidden(_("peran Anda tidak dapat mencatat entri '%(kind)s' pada NPHD ini") % {"kind": kind})


def _ledger_refusal(user: Actor, agreement: Agreement) -> str | None:
    if agreement.status == AgreementStatus.CLOSED:
        return str(_("NPHD ini sudah ditutup; tidak ada entri baru"))
    if not allowed_kinds(user, agreement):
        return read_only_refusal(GRANTS, "NPHD")
    return None


def _terms_refusal(user: Actor, agreement: Agreement) -> str | None:
    if not GRANTS.can_write(user, agreement.region_id):
        return str(_("hanya BPKAD (keuangan) dan Kesbangpol yang dapat mengubah NPHD"))
    return None


def _agreements() -> Any:
    return Agreement.objects.select_related("election", "recipient", "policy", "region")


@dataclass(frozen=True)
class AgreementAccess(ObjectAccess[Agreement]):
    """An agreement is addressed by (election slug, recipient code) in URLs, by primary key in services.

    `get` takes either key; everything else (visible, the refusals) is the base rule."""

    def lookup(self, key: Any) -> dict[str, Any]:
        if isinstance(key, tuple):
            election, recipient = key
            return {"election__slug": election, "recipient__code": recipient}
        return {"pk": key}

    @staticmethod
    def url_kwargs(agreement: Agreement) -> dict[str, str]:
        """The URL parameters that name an agreement (for links and the route matrix)."""
        return {"election": agreement.election.slug, "recipient": agreement.recipient.code}


AGREEMENTS = AgreementAccess(
    kind="grants.agreement",
    label=gettext_noop("NPHD"),
    queryset=_agreements,
    readable=agreements_readable,
    write_refusal=_ledger_refusal,
)
AGREEMENT_TERMS = AgreementAccess(
    kind="grants.agreement.terms",
    label=gettext_noop("NPHD"),
    queryset=_agreements,
    readable=agreements_readable,
    write_refusal=_terms_refusal,
)


@dataclass(frozen=True)
class AgreementGuard(Guard):
    """A route guard for URLs naming an agreement by `<election>/<recipient>`."""

    param: str = "recipient"
    election_param: str = "election"

    def describe(self) -> str:
        return super().describe().replace(f"by {self.param}", f"by {self.election_param}+{self.param}")

    def key(self, kwargs: dict[str, Any]) -> tuple[str, str]:
        return (kwargs[self.election_param], kwargs[self.param])

    def resolve(self, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        obj = self.access.get(request.user, self.key(kwargs), write=self.wants_write(request.method or "GET"))
        request.sinergi_guarded = (self.access.kind, obj)  # type: ignore[attr-defined]


# --- region pages ----------------------------------------------------------------------------------


def regions_readable(user: Actor) -> Q:
    """Areas whose grant pages the user may open: its read scopes, and any area holding an agreement
    the user may read (a recipient member's region, a regency reader's province and nation, where
    the overview lists only those agreements). One SQL filter: an EXISTS on the agreements."""
    by_scope = scope_filter(GRANTS.read_scopes(user), "code")
    if by_scope == Q():
        return by_scope
    readable = Agreement.objects.filter(agreements_readable(user))
    inside = readable.filter(
        Q(region_id=OuterRef("code")) | Q(region__code__startswith=Concat(OuterRef("code"), Value(".")))
    )
    return by_scope | Q(Exists(inside)) | (Q(code=NATIONAL_CODE) & Q(Exists(readable)))


def _region_refusal(user: Actor, area: Area) -> str | None:
    return None if GRANTS.can_write(user, area.code) else read_only_refusal(GRANTS)


REGIONS: ObjectAccess[Area] = ObjectAccess(
    kind="grants.region",
    label=gettext_noop("Wilayah"),
    queryset=Area.objects.all,
    readable=regions_readable,
    write_refusal=_region_refusal,
    key_field="code",
)
