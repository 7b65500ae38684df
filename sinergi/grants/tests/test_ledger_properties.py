"""Property: no sequence of ledger operations breaks an invariant, and the stored totals always
equal the sums of the entries (and those of a plain reference model)."""

import itertools
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.core.errors import ValidationFailed
from sinergi.grants.models import Agreement, LedgerEntry
from sinergi.grants.tests.factories import agreement_make, election_make, post

pytestmark = pytest.mark.django_db

AMOUNT = Decimal("1000000")
EXAMPLES = itertools.count()
CENT = Decimal("0.01")
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("700000"), places=2)
operation = st.one_of(
    st.tuples(st.just("disbursement"), amounts),
    st.tuples(st.just("spending"), amounts),
    st.tuples(st.just("refund"), amounts),
    st.tuples(st.just("correction"), st.integers(min_value=1, max_value=40)),
    st.tuples(st.just("retry"), st.integers(min_value=0, max_value=40)),
)


def model_accepts(totals: dict[str, Decimal]) -> bool:
    d, s, r = totals["disbursed"], totals["spent"], totals["refunded"]
    return min(d, s, r) >= 0 and d <= AMOUNT and s <= d and r <= d - s


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_random_operation_sequences_keep_every_invariant(users, ops):
    actor = users["finance"]
    recipient = users["kpu"]
    # Hypothesis reuses the database between examples: each example gets its own election.
    election = election_make(f"prop-{next(EXAMPLES)}").slug
    agreement = agreement_make(actor, recipient="kpu-kukar", amount=AMOUNT, election=election)
    model = {"disbursed": Decimal(0), "spent": Decimal(0), "refunded": Decimal(0)}
    lines: list[tuple[str, Decimal, bool]] = []  # (account, amount, reversed?)
    client_ids: list[str] = []
    for index, (kind, value) in enumerate(ops):
        if kind == "retry":
            _retry(actor, recipient, agreement, client_ids, value)
            continue
        who = actor if kind == "disbursement" else recipient
        client_id = f"op-{index}"
        expected, account, delta = _expect(kind, value, lines, model)
        try:
            if kind == "correction":
                target = lines[value - 1][0] if value <= len(lines) else "disbursed"
                who = actor if target == "disbursed" else recipient
                post(who, agreement, kind, None, client_id, reverses_seq=value, note="koreksi")
            else:
                post(who, agreement, kind, str(value), client_id)
        except ValidationFailed:
            assert not expected, (kind, value, model)
        else:
            assert expected, (kind, value, model)
            model[account] += delta
            lines.append((account, delta, False))
            if kind == "correction":
                lines[value - 1] = (lines[value - 1][0], lines[value - 1][1], True)
            client_ids.append(client_id)
        _assert_consistent(agreement, model)


def _expect(kind, value, lines, model) -> tuple[bool, str, Decimal]:
    if kind == "correction":
        if value > len(lines) or lines[value - 1][2] or lines[value - 1][1] < 0:
            return False, "", Decimal(0)
        account, delta = lines[value - 1][0], -lines[value - 1][1]
    else:
        account, delta = {"disbursement": "disbursed", "spending": "spent", "refund": "refunded"}[kind], value
    trial = dict(model)
    trial[account] += delta
    return model_accepts(trial), account, delta


def _retry(actor, recipient, agreement, client_ids, index) -> None:
    if not client_ids:
        return
    stored = LedgerEntry.objects.get(agreement=agreement, client_id=client_ids[index % len(client_ids)])
    who = actor if stored.account == "disbursed" else recipient
    extra = {"reverses_seq": stored.reverses.seq, "note": "koreksi"} if stored.reverses else {}
    amount = None if stored.kind == "correction" else str(stored.amount)
    again = post(who, agreement, stored.kind, amount, stored.client_id, **extra)
    assert not again.created and again.entry.pk == stored.pk


def _assert_consistent(agreement: Agreement, model: dict[str, Decimal]) -> None:
    stored = Agreement.objects.get(pk=agreement.pk)
    # SQLite sums decimals as floating point; the sen-rounded sum must still match exactly.
    sums = {
        row["account"]: row["total"].quantize(CENT)
        for row in LedgerEntry.objects.filter(agreement=agreement).values("account").annotate(total=Sum("amount"))
    }
    for account in ("disbursed", "spent", "refunded"):
        assert getattr(stored, account) == sums.get(account, Decimal(0)) == model[account]
    assert model_accepts(model)
    assert stored.entry_count == LedgerEntry.objects.filter(agreement=agreement).count()
