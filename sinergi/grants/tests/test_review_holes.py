"""Holes found in the issue-11 review: hostile amounts and texts reaching a 500, and the
reconciliation table showing a recipient member the figures of other recipients."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.conftest import client_for
from sinergi.grants import services
from sinergi.grants.tests.factories import ELECTION, agreement_make

pytestmark = pytest.mark.django_db

BASE = f"/api/v1/grants/agreements/{ELECTION}/kpu-kukar"


@pytest.fixture
def agreement(users):
    return agreement_make(users["finance"], amount="76055000000", signed_on=dt.date(2023, 11, 10))


def _entry(**changes):
    body = {"client_id": "c-1", "kind": "disbursement", "amount": "100", "entry_date": "2023-12-05", "reference": "R"}
    return body | changes


@pytest.mark.parametrize("amount", ["1e30", "9" * 40, 10**40, "1E+26", "-1e20", "10000000000000000"])
def test_a_huge_amount_is_a_422_not_a_500(client, users, agreement, bearer, amount):
    # Decimal.quantize raised InvalidOperation beyond 28 digits (a 500); beyond 16 integer digits the
    # NUMERIC(18, 2) column overflows on PostgreSQL.
    response = client.post(
        f"{BASE}/entries", _entry(amount=amount), content_type="application/json", headers=bearer(users["finance"])
    )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "amount"


def test_a_huge_amount_in_the_agreement_form_is_a_form_error(users):
    response = client_for(users["finance"]).post(
        reverse("grants:new", args=["64.02"]),
        {
            "election": ELECTION,
            "recipient": "polres-kukar",
            "number": "N-1",
            "signed_on": "2023-11-10",
            "amount": "9" * 30,
            "policy": "41-2020-sekaligus",
        },
    )
    assert response.status_code == 422


@pytest.mark.parametrize("years", ["²⁰²³: 1000", "2023: 600; 20231: 400", "٢٠٢٣: 1000"])
def test_a_budget_year_that_is_not_four_ascii_digits_is_a_form_error(users, years):
    # '²⁰²³'.isdigit() is True and int() then raised ValueError: a 500.
    response = client_for(users["finance"]).post(
        reverse("grants:new", args=["64.02"]),
        {
            "election": ELECTION,
            "recipient": "polres-kukar",
            "number": "N-1",
            "signed_on": "2023-11-10",
            "amount": "1000",
            "policy": "41-2020-sekaligus",
            "budget_years": years,
        },
    )
    assert response.status_code == 422
    assert "bukan" in response.content.decode()


def test_an_over_long_reference_is_a_422_not_a_database_error(client, users, agreement, bearer):
    # PostgreSQL raised DataError on the 120-character column (a 500); SQLite stored it.
    response = client.post(
        f"{BASE}/entries",
        _entry(reference="x" * 500),
        content_type="application/json",
        headers=bearer(users["finance"]),
    )
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "reference"
    assert not agreement.entries.exists()


@pytest.fixture
def figures(users, agreement):
    agreement_make(users["finance"], recipient="polres-kukar", amount="8100000000", signed_on=dt.date(2023, 11, 10))
    for label, kind, recipient, note in [
        ("Total hibah Pilkada (APBD)", "total", None, "catatan-total-rahasia"),
        ("Hibah KPU (rilis pers)", "item", "kpu-kukar", "catatan-kpu"),
        ("Hibah Polres (rilis pers)", "item", "polres-kukar", "catatan-polres-rahasia"),
    ]:
        services.budget_figure_add(
            actor=users["finance"],
            election_slug=ELECTION,
            label=label,
            amount="1000",
            kind=kind,
            recipient_code=recipient,
            note=note,
        )


def test_a_recipient_member_sees_only_its_own_figures_in_the_reconciliation(users, figures):
    body = client_for(users["kpu"]).get(reverse("grants:overview", args=["64.02"])).content.decode()
    assert "catatan-kpu" in body
    assert "catatan-polres-rahasia" not in body and "Hibah Polres" not in body
    assert "catatan-total-rahasia" not in body
    # The region's readers still see every figure.
    body = client_for(users["inspector"]).get(reverse("grants:overview", args=["64.02"])).content.decode()
    assert "catatan-polres-rahasia" in body and "catatan-total-rahasia" in body


def test_a_recipient_members_export_holds_only_its_own_figures(users, figures):
    response = client_for(users["kpu"]).get(reverse("grants:export", args=["64.02"]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    texts = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value}
    joined = " ".join(texts)
    assert "Polres" not in joined and "catatan-total-rahasia" not in joined
