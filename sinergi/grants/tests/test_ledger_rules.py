"""The ledger service refuses every entry that would break an invariant, and stores nothing then."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sinergi.core.errors import Conflict, ValidationFailed
from sinergi.core.history import history_for
from sinergi.grants import services
from sinergi.grants.models import Agreement, LedgerEntry
from sinergi.grants.tests.factories import agreement_make, election_make, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(users):
    return agreement_make(users["finance"], amount="1000000000")


def refreshed(agreement: Agreement) -> Agreement:
    return Agreement.objects.get(pk=agreement.pk)


def test_disbursing_more_than_the_agreement_is_refused(users, agreement):
    post(users["finance"], agreement, "disbursement", "600000000", "a")
    with pytest.raises(ValidationFailed) as exc:
        post(users["finance"], agreement, "disbursement", "400000000.01", "b")
    assert exc.value.code == "overspend" and "399.999.999,99" not in exc.value.detail
    assert "400.000.000" in exc.value.detail
    assert refreshed(agreement).disbursed == Decimal("600000000")
    assert LedgerEntry.objects.filter(agreement=agreement).count() == 1


def test_exactly_the_agreement_amount_is_allowed_to_the_rupiah(users, agreement):
    post(users["finance"], agreement, "disbursement", "999999999.99", "a")
    post(users["finance"], agreement, "disbursement", "0.01", "b")
    assert refreshed(agreement).disbursed == Decimal("1000000000.00")


def test_spending_more_than_disbursed_is_refused(users, agreement):
    post(users["finance"], agreement, "disbursement", "100", "a")
    post(users["kpu"], agreement, "spending", "60", "b")
    with pytest.raises(ValidationFailed, match="realisasi melebihi"):
        post(users["kpu"], agreement, "spending", "41", "c")
    assert refreshed(agreement).spent == Decimal(60)


def test_refunds_cannot_exceed_what_the_recipient_still_holds(users, agreement):
    post(users["finance"], agreement, "disbursement", "100", "a")
    post(users["kpu"], agreement, "spending", "70", "b")
    with pytest.raises(ValidationFailed, match="pengembalian melebihi"):
        post(users["kpu"], agreement, "refund", "31", "c")
    post(users["kpu"], agreement, "refund", "30", "d")
    with pytest.raises(ValidationFailed, match="realisasi melebihi"):
        post(users["kpu"], agreement, "spending", "1", "e")


def test_closing_needs_refund_equal_to_disbursed_minus_spent(users, agreement):
    post(users["finance"], agreement, "disbursement", "100", "a")
    post(users["kpu"], agreement, "spending", "70", "b")
    post(users["kpu"], agreement, "refund", "20", "c")
    with pytest.raises(ValidationFailed, match="belum dapat ditutup"):
        services.agreement_close(actor=users["finance"], agreement_id=agreement.pk)
    post(users["kpu"], agreement, "refund", "10", "d")
    closed = services.agreement_close(actor=users["finance"], agreement_id=agreement.pk)
    assert closed.status == "closed"
    with pytest.raises(Conflict):
        post(users["kpu"], agreement, "spending", "1", "e")


def test_a_correction_reverses_an_entry_once(users, agreement):
    post(users["finance"], agreement, "disbursement", "100", "a")
    post(users["kpu"], agreement, "spending", "80", "b")
    fix = post(users["kpu"], agreement, "correction", None, "c", reverses_seq=2, note="salah ketik")
    assert (fix.entry.account, fix.entry.amount) == ("spent", Decimal(-80))
    assert refreshed(agreement).spent == 0
    with pytest.raises(ValidationFailed, match="sudah dikoreksi"):
        post(users["kpu"], agreement, "correction", None, "d", reverses_seq=2, note="lagi")
    with pytest.raises(ValidationFailed, match="tidak dapat dibalik"):
        post(users["kpu"], agreement, "correction", None, "e", reverses_seq=3, note="balik koreksi")
    # The original line is still there, unchanged.
    assert LedgerEntry.objects.get(agreement=agreement, seq=2).amount == Decimal(80)


def test_reversing_a_disbursement_that_was_spent_is_refused(users, agreement):
    post(users["finance"], agreement, "disbursement", "100", "a")
    post(users["kpu"], agreement, "spending", "50", "b")
    with pytest.raises(ValidationFailed, match="koreksi ini"):
        post(users["finance"], agreement, "correction", None, "c", reverses_seq=1, note="transfer batal")


def test_correction_needs_a_reason_and_a_target(users, agreement):
    post(users["finance"], agreement, "disbursement", "100", "a")
    with pytest.raises(ValidationFailed) as exc:
        post(users["finance"], agreement, "correction", None, "b", reverses_seq=1)
    assert exc.value.field == "note"
    with pytest.raises(ValidationFailed) as exc:
        post(users["finance"], agreement, "correction", None, "c", note="x")
    assert exc.value.field == "reverses_seq"


def test_retry_with_the_same_client_id_returns_the_stored_entry(users, agreement):
    first = post(users["finance"], agreement, "disbursement", "100", "retry-1")
    again = post(users["finance"], agreement, "disbursement", "100", "retry-1")
    assert first.created and not again.created and again.entry.pk == first.entry.pk
    assert refreshed(agreement).disbursed == Decimal(100)
    with pytest.raises(Conflict, match="client_id"):
        post(users["finance"], agreement, "disbursement", "200", "retry-1")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 1.5}, "amount"),
        ({"amount": "1,5"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "10.001"}, "amount"),
        ({"reference": " "}, "reference"),
        ({"entry_date": dt.date(2024, 3, 1)}, "entry_date"),
        ({"entry_date": dt.date(2026, 1, 2)}, "entry_date"),
        ({"client_id": ""}, "client_id"),
        ({"kind": "gift"}, "kind"),
    ],
)
def test_bad_input_names_the_field(users, agreement, changes, field):
    args = {"kind": "disbursement", "amount": "10", "client_id": "x"} | changes
    kind, amount, client_id = args.pop("kind"), args.pop("amount"), args.pop("client_id")
    with pytest.raises(ValidationFailed) as exc:
        post(users["finance"], agreement, kind, amount, client_id, **args)
    assert exc.value.field == field
    assert not LedgerEntry.objects.filter(agreement=agreement).exists()


def test_spending_needs_a_category(users, agreement):
    post(users["finance"], agreement, "disbursement", "100", "a")
    with pytest.raises(ValidationFailed) as exc:
        post(users["kpu"], agreement, "spending", "10", "b", category="")
    assert exc.value.field == "category"


def test_history_rows_are_written(users, agreement):
    post(users["finance"], agreement, "disbursement", "100", "a")
    actions = [h.action for h in history_for("grants.agreement", str(agreement.pk))]
    assert actions[:2] == ["ledger.disbursement", "create"]


@pytest.mark.parametrize(
    "values",
    [
        {"disbursed": Decimal("1000000000.01")},
        {"disbursed": Decimal(10), "spent": Decimal(11)},
        {"disbursed": Decimal(10), "spent": Decimal(5), "refunded": Decimal(6)},
        {"status": "closed", "disbursed": Decimal(10)},
    ],
)
def test_the_database_refuses_broken_totals_even_without_the_service(users, agreement, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(**values)


def test_the_database_refuses_an_unsigned_correction(users, agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            agreement=agreement,
            seq=1,
            kind="correction",
            account="spent",
            amount=Decimal(5),
            entry_date=dt.date(2024, 3, 5),
            reference="x",
            client_id="raw",
        )


def test_a_broken_policy_or_an_uncovered_year_is_a_clear_error(users):
    from sinergi.grants.models import PolicyStep

    election_make("pilkada-2031", voting_date=dt.date(2031, 11, 26))
    with pytest.raises(ValidationFailed) as exc:
        agreement_make(users["finance"], signed_on=dt.date(2031, 1, 6), election="pilkada-2031")
    assert exc.value.field == "signed_on" and "2031" in exc.value.detail
    PolicyStep.objects.filter(policy__code="54-2019", seq=3).delete()
    with pytest.raises(ValidationFailed) as exc:
        agreement_make(users["finance"], policy="54-2019")
    assert exc.value.field == "policy"
    assert not Agreement.objects.exists()
