"""Recording an NPHD and a ratification date through the pages, and the English interface."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from sinergi.conftest import client_for
from sinergi.grants.models import Agreement, Ratification
from sinergi.grants.tests.factories import ELECTION, agreement_make

pytestmark = pytest.mark.django_db


def test_finance_records_an_nphd_with_its_budget_years(users):
    client = client_for(users["finance"])
    page = client.get(reverse("grants:new", args=["64.02"])).content.decode()
    assert "polres-bontang" in page  # covers Muara Badak although seated in Bontang
    response = client.post(
        reverse("grants:new", args=["64.02"]),
        {
            "recipient": "kpu-kukar",
            "election": ELECTION,
            "number": "027/NPHD/KPU-KK/XI/2023",
            "signed_on": "2023-11-10",
            "amount": "76.055.000.000",
            "policy": "41-2020-bertahap",
            "budget_years": "2023: 30.422.000.000; 2024: 45.633.000.000",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(recipient__code="kpu-kukar")
    assert agreement.amount == Decimal("76055000000")
    assert agreement.versions.get().budget_years == [
        {"year": 2023, "amount": "30422000000.00"},
        {"year": 2024, "amount": "45633000000.00"},
    ]
    assert [t.due_on for t in agreement.tranches.order_by("seq")] == [dt.date(2023, 11, 30), dt.date(2024, 6, 27)]


def test_a_second_nphd_for_the_same_recipient_is_refused_with_a_hint(users):
    agreement_make(users["finance"])
    response = client_for(users["finance"]).post(
        reverse("grants:new", args=["64.02"]),
        {
            "recipient": "kpu-kukar",
            "election": ELECTION,
            "number": "X",
            "signed_on": "2024-03-04",
            "amount": "1000",
            "policy": "41-2020-sekaligus",
        },
    )
    assert response.status_code == 422 and "adendum" in response.content.decode()


def test_budget_years_that_do_not_add_up_are_shown_on_the_form(users):
    response = client_for(users["finance"]).post(
        reverse("grants:new", args=["64.02"]),
        {
            "recipient": "kpu-kukar",
            "election": ELECTION,
            "number": "X",
            "signed_on": "2024-03-04",
            "amount": "1000",
            "policy": "41-2020-sekaligus",
            "budget_years": "2023: 400; 2024: 500",
        },
    )
    assert response.status_code == 422 and "alokasi tahun anggaran berjumlah Rp 900" in response.content.decode()
    assert not Agreement.objects.exists()


def test_ratification_date_sets_the_refund_deadline(users):
    agreement_make(users["finance"])
    client = client_for(users["finance"])
    response = client.post(
        reverse("grants:ratification", args=["64.02"]),
        {"election": ELECTION, "proposed_on": "2024-12-10", "source": "Surat KPU 12/2024"},
    )
    assert response.status_code == 302
    assert Ratification.objects.get().proposed_on == dt.date(2024, 12, 10)
    page = client.get(reverse("grants:overview", args=["64.02"])).content.decode()
    assert "10 Maret 2025" in page  # three months after the proposal
    bad = client.post(
        reverse("grants:ratification", args=["64.02"]), {"election": ELECTION, "proposed_on": "2024-01-01"}
    )
    assert bad.status_code == 422


def test_the_interface_speaks_english_when_asked(users):
    agreement_make(users["finance"])
    client = client_for(users["finance"])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("grants:overview", args=["64.02"])).content.decode()
    assert "Election grants" in page and "Next tranche" in page
