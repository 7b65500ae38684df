"""Every read of the grants module, scoped to the user through the access rules in `permissions`."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from sinergi.areas.models import Area, Level, within
from sinergi.core.cache import shared_read
from sinergi.core.errors import NotFound
from sinergi.grants import permissions, schedule
from sinergi.grants.models import (
    Account,
    Agreement,
    AgreementStatus,
    BudgetFigure,
    LedgerEntry,
    Ratification,
    Tranche,
)
from sinergi.grants.permissions import AGREEMENT_TERMS, AGREEMENTS, REGIONS

# Public pages cache by generation: every committed grants write starts a new one (services._bump_generation).
GENERATION_KEY = "grants:generation"

ZERO = Decimal(0)
CENT = Decimal("0.01")
# Code length of a child of an area of each level (Kemendagri codes have fixed widths).
CHILD_CODE_LENGTH: dict[str, int] = {Level.NATIONAL.value: 2, Level.PROVINCE.value: 5}
PUBLIC_CACHE_SECONDS = 300


def cents(value: Decimal | None) -> Decimal:
    """SQL sums of money: exact on PostgreSQL; SQLite adds decimals as floating point, so round to the sen."""
    return ZERO if value is None else Decimal(value).quantize(CENT)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part * 100 / whole).quantize(Decimal("0.01")) if whole else None


def visible_agreements(user: Any) -> QuerySet[Agreement]:
    return AGREEMENTS.visible(user, Agreement.objects.all())


def agreement_get(user: Any, election_slug: str, recipient_code: str, *, write: bool = False) -> Agreement:
    """The agreement or NotFound/Forbidden: the one access rule (`permissions.AGREEMENTS`)."""
    return AGREEMENTS.get(user, (election_slug, recipient_code), write=write)


def start_area(user: Any) -> str | None:
    """Where a user's grant pages begin: their scope, else the region of their own agreement."""
    scopes = permissions.GRANTS.read_scopes(user)
    if scopes:
        return scopes[0]
    own = visible_agreements(user).values_list("region_id", flat=True).first()
    return own


# --- overview -----------------------------------------------------------------------------------


@dataclass
class NextTranche:
    label: str
    due_on: dt.date
    outstanding: Decimal
    status: str
    days: int


@dataclass
class Totals:
    amount: Decimal = ZERO
    disbursed: Decimal = ZERO
    spent: Decimal = ZERO
    refunded: Decimal = ZERO
    count: int = 0
    late: int = 0

    @property
    def balance(self) -> Decimal:
        return self.disbursed - self.spent - self.refunded

    @property
    def disbursed_pct(self) -> Decimal | None:
        return percent(self.disbursed, self.amount)

    @property
    def absorption_pct(self) -> Decimal | None:
        return percent(self.spent, self.disbursed)

    def add(self, amount, disbursed, spent, refunded, count=1, late=0) -> None:
        self.amount += amount
        self.disbursed += disbursed
        self.spent += spent
        self.refunded += refunded
        self.count += count
        self.late += late


@dataclass
class AgreementRow:
    agreement: Agreement
    next_tranche: NextTranche | None
    late_tranches: int
    refund_due: dt.date | None
    refund_status: str  # none | open | due | late | settled

    @property
    def absorption_pct(self) -> Decimal | None:
        return percent(self.agreement.spent, self.agreement.disbursed)

    @property
    def disbursed_pct(self) -> Decimal | None:
        return percent(self.agreement.disbursed, self.agreement.amount)


@dataclass
class ChildRow:
    code: str
    name: str
    totals: Totals


@dataclass
class ElectionGroup:
    election: Any
    rows: list[AgreementRow]
    totals: Totals


@dataclass
class Overview:
    area: Area
    rows: list[AgreementRow] = field(default_factory=list)
    children: list[ChildRow] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    elections: list[Any] = field(default_factory=list)
    can_write: bool = False

    @property
    def groups(self) -> list[ElectionGroup]:
        """Rows per election, latest first: each election is its own budget and schedule."""
        groups: dict[int, ElectionGroup] = {}
        for row in self.rows:
            a = row.agreement
            group = groups.setdefault(a.election_id, ElectionGroup(a.election, [], Totals()))
            group.rows.append(row)
            group.totals.add(a.amount, a.disbursed, a.spent, a.refunded, 1, row.late_tranches)
        return sorted(groups.values(), key=lambda g: g.election.voting_date, reverse=True)


def overview(
    user: Any, code: str, *, today: dt.date, election_slug: str | None = None, area: Area | None = None
) -> Overview:
    """A region's grants as the user may see them; `area` when the route's guard already fetched it."""
    area = area if area is not None else REGIONS.get(user, code)
    result = Overview(area=area, can_write=REGIONS.can_write(user, area))
    if area.level in CHILD_CODE_LENGTH:
        result.children = _child_rows(user, area, today)
        for child in result.children:
            t = child.totals
            result.totals.add(t.amount, t.disbursed, t.spent, t.refunded, t.count, t.late)
    agreements = visible_agreements(user).filter(region_id=code)
    if election_slug:
        agreements = agreements.filter(election__slug=election_slug)
    result.rows = agreement_rows(agreements, today=today)
    for row in result.rows:
        a = row.agreement
        result.totals.add(a.amount, a.disbursed, a.spent, a.refunded, 1, row.late_tranches)
    result.elections = sorted({r.agreement.election for r in result.rows}, key=lambda e: e.voting_date)
    return result


def agreement_rows(agreements: QuerySet[Agreement], *, today: dt.date) -> list[AgreementRow]:
    """Rows with next tranche and refund state: three queries whatever the number of agreements."""
    items = list(
        agreements.select_related("recipient", "election", "policy").order_by("election__voting_date", "-amount")
    )
    tranches: dict[int, list[Tranche]] = defaultdict(list)
    for tranche in Tranche.objects.filter(agreement__in=[a.pk for a in items]).order_by("agreement_id", "seq"):
        tranches[tranche.agreement_id].append(tranche)
    proposed = dict(
        Ratification.objects.filter(election_id__in={a.election_id for a in items}).values_list(
            "election_id", "proposed_on"
        )
    )
    return [_row(a, tranches[a.pk], proposed.get(a.election_id), today) for a in items]


def _row(agreement: Agreement, tranches: list[Tranche], proposed_on, today: dt.date) -> AgreementRow:
    # A closed NPHD owes no more tranches: what was not disbursed will not be.
    closed = agreement.status == AgreementStatus.CLOSED
    unpaid = [] if closed else [t for t in tranches if t.cumulative > agreement.disbursed]
    late = sum(1 for t in unpaid if t.due_on < today)
    following = None
    if unpaid:
        t = unpaid[0]
        outstanding = min(t.amount, t.cumulative - agreement.disbursed)
        state = schedule.tranche_states([(1, t.due_on, outstanding)], [], today=today)[0]
        following = NextTranche(t.label, t.due_on, outstanding, state.status, state.days_late)
    deadline = schedule.refund_deadline(proposed_on)
    return AgreementRow(agreement, following, late, deadline, refund_status(agreement, deadline, today))


def refund_status(agreement: Agreement, deadline: dt.date | None, today: dt.date) -> str:
    if agreement.status == AgreementStatus.CLOSED:
        return "settled"
    if agreement.balance <= 0 and agreement.refunded > 0:
        return "settled"
    if deadline is None:
        return "none"
    if agreement.balance <= 0:
        return "settled"
    if today > deadline:
        return "late"
    return "due" if (deadline - today).days <= schedule.DUE_SOON_DAYS * 2 else "open"


def _child_rows(user: Any, area: Area, today: dt.date) -> list[ChildRow]:
    """Totals per child area by one GROUP BY on the region code prefix, plus one for late tranches."""
    length = CHILD_CODE_LENGTH[area.level]
    scoped = visible_agreements(user).filter(within(area.code, "region__code", include_self=False))
    sums = (
        scoped.annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(
            amount=Sum("amount"),
            disbursed=Sum("disbursed"),
            spent=Sum("spent"),
            refunded=Sum("refunded"),
            n=Count("id"),
        )
    )
    late = dict(
        Tranche.objects.filter(agreement__in=scoped.filter(status=AgreementStatus.OPEN), due_on__lt=today)
        .filter(cumulative__gt=F("agreement__disbursed"))
        .annotate(child=Substr("agreement__region_id", 1, length))
        .values("child")
        .annotate(n=Count("id"))
        .values_list("child", "n")
    )
    names = dict(Area.objects.filter(parent=area).values_list("code", "name"))
    rows = []
    for s in sums:
        totals = Totals()
        amount, disbursed, spent, refunded = (cents(s[k]) for k in ("amount", "disbursed", "spent", "refunded"))
        totals.add(amount, disbursed, spent, refunded, s["n"], late.get(s["child"], 0))
        rows.append(ChildRow(s["child"], names.get(s["child"], s["child"]), totals))
    return sorted(rows, key=lambda r: r.code)


# --- one agreement -------------------------------------------------------------------------------


@dataclass
class TrancheView:
    tranche: Tranche
    state: schedule.TrancheState


@dataclass
class AgreementView:
    agreement: Agreement
    versions: list[Any]
    tranches: list[TrancheView]
    entries: list[LedgerEntry]
    refund_due: dt.date | None
    refund_status: str
    ratification: Ratification | None
    allowed_kinds: set[str]
    can_amend: bool


def agreement_view(user: Any, agreement: Agreement, *, today: dt.date) -> AgreementView:
    entries = list(agreement.entries.select_related("created_by", "reverses").order_by("seq"))
    tranches = list(agreement.tranches.order_by("seq"))
    events = [(e.entry_date, e.amount) for e in entries if e.account == Account.DISBURSED]
    states = schedule.tranche_states([(t.seq, t.due_on, t.amount) for t in tranches], events, today=today)
    if agreement.status == AgreementStatus.CLOSED:
        states = [s if s.status == "paid" else replace(s, status="void", days_late=0) for s in states]
    ratification = Ratification.objects.filter(election_id=agreement.election_id).first()
    deadline = schedule.refund_deadline(ratification.proposed_on if ratification else None)
    writable = agreement.status == AgreementStatus.OPEN
    return AgreementView(
        agreement=agreement,
        versions=list(agreement.versions.select_related("policy", "created_by").order_by("version")),
        tranches=[TrancheView(t, s) for t, s in zip(tranches, states, strict=True)],
        entries=entries,
        refund_due=deadline,
        refund_status=refund_status(agreement, deadline, today),
        ratification=ratification,
        allowed_kinds=permissions.allowed_kinds(user, agreement) if writable else set(),
        can_amend=writable and AGREEMENT_TERMS.can_write(user, agreement),
    )


def entries_page(agreement: Agreement, *, after: int = 0, limit: int = 100) -> list[LedgerEntry]:
    """The ledger of an agreement the caller got through `AGREEMENTS.get`."""
    limit = max(1, min(limit, 500))
    return list(agreement.entries.filter(seq__gt=after).order_by("seq")[:limit])


# --- reconciliation ---------------------------------------------------------------------------------


@dataclass
class FigureLine:
    figure: BudgetFigure
    system_amount: Decimal | None  # what the agreements say for the same thing
    gap: Decimal | None  # figure - system


def reconciliation(region_code: str, election_id: int | None = None, *, user: Any = None) -> list[FigureLine]:
    """Each announced or reported figure against the sum (or the one agreement) in the system.

    With `user`: a reader of the region's grants sees every figure; a recipient member (who reads the
    region only through its own agreement) sees only the figures about its own agreements."""
    figures = BudgetFigure.objects.filter(region_id=region_code).select_related("recipient", "election")
    agreements: QuerySet[Agreement] = Agreement.objects.filter(region_id=region_code)
    if user is not None and not permissions.GRANTS.can_read(user, region_code):
        agreements = AGREEMENTS.visible(user, agreements)
        own = agreements.values("recipient_id")
        figures = figures.filter(kind="item", recipient_id__in=own)
    if election_id:
        figures = figures.filter(election_id=election_id)
        agreements = agreements.filter(election_id=election_id)
    by_key: dict[tuple[int, int | None], Decimal] = {
        (a["election_id"], a["recipient_id"]): a["amount"]
        for a in agreements.values("election_id", "recipient_id", "amount")
    }
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (election, _year), amount in by_key.items():
        totals[election] += amount
    lines = []
    for figure in figures:
        if figure.kind == "total":
            system = totals.get(figure.election_id)
        else:
            system = by_key.get((figure.election_id, figure.recipient_id))
        lines.append(FigureLine(figure, system, None if system is None else figure.amount - system))
    return lines


# --- public ---------------------------------------------------------------------------------------


def public_regions() -> list[dict]:
    """Regions with grants, with their totals (cached; same numbers as the internal pages)."""
    return _cached("grants:public:regions", _public_regions)


def _public_regions() -> list[dict]:
    rows = (
        Agreement.objects.values("region_id", "region__name")
        .annotate(amount=Sum("amount"), disbursed=Sum("disbursed"), spent=Sum("spent"), refunded=Sum("refunded"))
        .order_by("region_id")
    )
    return [{**r, **{k: cents(r[k]) for k in ("amount", "disbursed", "spent", "refunded")}} for r in rows]


def public_region(code: str) -> dict:
    data = _cached(f"grants:public:{code}", lambda: _public_region(code))
    if data is None:
        raise NotFound(_("tidak ada hibah untuk wilayah %(code)s") % {"code": code})
    return data


def _public_region(code: str) -> dict | None:
    area = Area.objects.filter(code=code).first()
    if area is None:
        return None
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in Agreement.objects.filter(region_id=code)
        .select_related("recipient", "election")
        .order_by("election__voting_date", "-amount")
        .values(
            "election__slug",
            "election__name",
            "recipient__name",
            "number",
            "signed_on",
            "amount",
            "disbursed",
            "spent",
            "refunded",
            "status",
        )
    ]
    if not rows:
        return None
    totals = Totals()
    for r in rows:
        totals.add(r["amount"], r["disbursed"], r["spent"], r["refunded"])
        r["balance"] = r["disbursed"] - r["spent"] - r["refunded"]
        r["absorption_pct"] = percent(r["spent"], r["disbursed"])
    return {"area": {"code": area.code, "name": area.name}, "rows": rows, "totals": totals}


def _cached(key: str, compute):
    """One entry per write generation (a committed write starts a new one, services._bump_generation) in
    the shared cache, computed by one process at a time (core/cache.py)."""
    generation = cache.get(GENERATION_KEY, 0)
    return shared_read(
        f"{key}:{generation}", compute, fresh_seconds=PUBLIC_CACHE_SECONDS, stale_seconds=PUBLIC_CACHE_SECONDS
    )
