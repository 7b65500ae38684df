"""JSON API: agreements with balances and schedules, the ledger, and posting entries by client id."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from sinergi.accounts.guards import SIGNED_IN, guarded, operation
from sinergi.areas.models import within
from sinergi.core.models import Channel
from sinergi.core.timezones import local_today
from sinergi.grants import selectors, services
from sinergi.grants.models import Agreement, LedgerEntry
from sinergi.grants.permissions import AGREEMENTS, AgreementGuard

router = Router(tags=["grants"])


class TrancheOut(Schema):
    seq: int
    label: str
    share_pct: Decimal
    amount: Decimal
    due_on: dt.date
    rule: str
    status: str
    paid: Decimal
    days_late: int


class AgreementOut(Schema):
    election: str
    recipient: str
    recipient_name: str
    region_code: str
    number: str
    signed_on: dt.date
    version: int
    policy: str
    amount: Decimal
    disbursed: Decimal
    spent: Decimal
    refunded: Decimal
    balance: Decimal
    status: str
    entry_count: int


class AgreementDetailOut(AgreementOut):
    tranches: list[TrancheOut]
    refund_due: dt.date | None
    refund_status: str


class EntryOut(Schema):
    seq: int
    kind: str
    account: str
    amount: Decimal
    entry_date: dt.date
    reference: str
    category: str
    reverses_seq: int | None
    note: str
    client_id: str
    channel: str


class EntryIn(Schema):
    client_id: str
    kind: str
    amount: str | int | None = None  # a decimal string such as "30422000000.00"; floats are refused
    entry_date: dt.date
    reference: str
    category: str = ""
    reverses_seq: int | None = None
    note: str = ""


class AgreementQuery(Schema):
    area: str | None = None
    election: str | None = None


def _agreement_out(a: Agreement) -> dict:
    return {
        "election": a.election.slug,
        "recipient": a.recipient.code,
        "recipient_name": a.recipient.name,
        "region_code": a.region_id,
        "number": a.number,
        "signed_on": a.signed_on,
        "version": a.version,
        "policy": a.policy.code,
        "amount": a.amount,
        "disbursed": a.disbursed,
        "spent": a.spent,
        "refunded": a.refunded,
        "balance": a.balance,
        "status": a.status,
        "entry_count": a.entry_count,
    }


def _entry_out(e: LedgerEntry, reverses_seq: int | None = None) -> dict:
    return {
        "seq": e.seq,
        "kind": e.kind,
        "account": e.account,
        "amount": e.amount,
        "entry_date": e.entry_date,
        "reference": e.reference,
        "category": e.category,
        "reverses_seq": reverses_seq,
        "note": e.note,
        "client_id": e.client_id,
        "channel": e.channel,
    }


@router.get("/grants/agreements", response=list[AgreementOut], summary="NPHD agreements you may read, with balances")
@operation(SIGNED_IN)
def agreement_list(request: HttpRequest, filters: Query[AgreementQuery]):
    agreements = selectors.visible_agreements(request.user).select_related("election", "recipient", "policy")
    if filters.area:
        agreements = agreements.filter(within(filters.area, "region__code"))
    if filters.election:
        agreements = agreements.filter(election__slug=filters.election)
    return [_agreement_out(a) for a in agreements.order_by("region_id", "election__voting_date", "-amount")[:1000]]


@router.get(
    "/grants/agreements/{election}/{recipient}", response=AgreementDetailOut, summary="One NPHD with its schedule"
)
@operation(AgreementGuard(AGREEMENTS, write=False))
def agreement_detail(request: HttpRequest, election: str, recipient: str):
    agreement = guarded(request, AGREEMENTS)
    view = selectors.agreement_view(request.user, agreement, today=local_today(agreement.region_id))
    tranches = [
        {
            "seq": t.tranche.seq,
            "label": t.tranche.label,
            "share_pct": t.tranche.share_pct,
            "amount": t.tranche.amount,
            "due_on": t.tranche.due_on,
            "rule": t.tranche.rule,
            "status": t.state.status,
            "paid": t.state.paid,
            "days_late": t.state.days_late,
        }
        for t in view.tranches
    ]
    return {
        **_agreement_out(agreement),
        "tranches": tranches,
        "refund_due": view.refund_due,
        "refund_status": view.refund_status,
    }


@router.get("/grants/agreements/{election}/{recipient}/entries", response=list[EntryOut], summary="The ledger")
@operation(AgreementGuard(AGREEMENTS, write=False))
def entry_list(request: HttpRequest, election: str, recipient: str, after: int = 0, limit: int = 100):
    agreement = guarded(request, AGREEMENTS)
    entries = selectors.entries_page(agreement, after=after, limit=limit)
    seqs = dict(
        LedgerEntry.objects.filter(pk__in=[e.reverses_id for e in entries if e.reverses_id]).values_list("pk", "seq")
    )
    return [_entry_out(e, seqs.get(e.reverses_id) if e.reverses_id else None) for e in entries]


@router.post(
    "/grants/agreements/{election}/{recipient}/entries",
    response={200: EntryOut, 201: EntryOut},
    summary="Post a ledger entry; a retry with the same client_id returns the stored entry (200)",
)
@operation(AgreementGuard(AGREEMENTS))
def entry_post(request: HttpRequest, election: str, recipient: str, payload: EntryIn):
    agreement = guarded(request, AGREEMENTS)
    posted = services.ledger_post(
        actor=request.user,
        agreement_id=agreement.pk,
        kind=payload.kind,
        amount=payload.amount,
        entry_date=payload.entry_date,
        reference=payload.reference,
        category=payload.category,
        reverses_seq=payload.reverses_seq,
        note=payload.note,
        client_id=payload.client_id,
        channel=Channel.API,
    )
    entry = posted.entry
    return Status(201 if posted.created else 200, _entry_out(entry, entry.reverses.seq if entry.reverses else None))
