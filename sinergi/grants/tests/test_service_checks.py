"""The grant services' checks, one refusal each: every one names the field at fault and writes nothing."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from sinergi.core.errors import Conflict, ValidationFailed
from sinergi.grants import services
from sinergi.grants.models import Agreement, AgreementVersion, BudgetFigure, LedgerEntry, Ratification
from sinergi.grants.tests.factories import ELECTION, SIGNED, agreement_make, post

pytestmark = pytest.mark.django_db

TERMS: dict[str, Any] = {
    "election_slug": ELECTION,
    "recipient_code": "kpu-kukar",
    "number": "NPHD/001/2024",
    "signed_on": SIGNED,
    "amount": "1000000",
    "policy_code": "41-2020-sekaligus",
}


def written() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Agreement, AgreementVersion, LedgerEntry, Ratification, BudgetFigure)
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"election_slug": "pilgub-tidak-ada"}, "election"),
        ({"recipient_code": "kpu-tidak-ada"}, "recipient"),
        ({"policy_code": "pola-tidak-ada"}, "policy"),
        ({"number": "   "}, "number"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"signed_on": dt.date(2024, 11, 28)}, "signed_on"),  # the day after voting
        ({"budget_years": [(2024, "600000"), (2024, "400000")]}, "budget_years"),  # a year twice
        ({"budget_years": [(2024, "1000000"), (2025, "0")]}, "budget_years"),  # an empty year
        ({"budget_years": [(2024, "600000"), (2025, "300000")]}, "budget_years"),  # 900.000, not 1.000.000
    ],
)
def test_a_new_agreement_is_refused_naming_the_field(users, change, field):
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_create(actor=users["finance"], **{**TERMS, **change})
    assert refused.value.field == field
    assert written() == before


def test_budget_years_that_add_up_are_stored_in_year_order(users):
    agreement = services.agreement_create(
        actor=users["finance"], **{**TERMS, "budget_years": [(2025, "400000"), (2024, "600000")]}
    )
    version = agreement.versions.get()
    assert [(y["year"], Decimal(y["amount"])) for y in version.budget_years] == [
        (2024, Decimal(600000)),
        (2025, Decimal(400000)),
    ]


def test_a_closed_agreement_takes_no_addendum(users):
    agreement = agreement_make(users["finance"], amount="1000")
    services.agreement_close(actor=users["finance"], agreement_id=agreement.pk)  # nothing disbursed: settled
    before = written()
    with pytest.raises(Conflict):
        services.agreement_amend(
            actor=users["finance"], agreement_id=agreement.pk, number="ADD/1", signed_on=SIGNED, amount="2000"
        )
    assert written() == before


def test_only_a_correction_reverses_another_entry(users):
    agreement = agreement_make(users["finance"])
    post(users["finance"], agreement, "disbursement", "1000", "d1")
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        post(users["finance"], agreement, "disbursement", "10", "d2", reverses_seq=1)
    assert refused.value.field == "reverses_seq"
    assert written() == before


def test_ratification_and_budget_figures_need_a_known_election_and_an_item_its_recipient(users):
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        services.ratification_set(actor=users["finance"], election_slug="tidak-ada", proposed_on=dt.date(2024, 12, 20))
    assert refused.value.field == "election"
    with pytest.raises(ValidationFailed) as refused:
        services.budget_figure_add(actor=users["finance"], election_slug="tidak-ada", label="Pagu", amount="1")
    assert refused.value.field == "election"
    with pytest.raises(ValidationFailed) as refused:
        services.budget_figure_add(
            actor=users["finance"], election_slug=ELECTION, label="Hibah KPU", amount="1000", kind="item"
        )
    assert refused.value.field == "recipient"
    assert written() == before
