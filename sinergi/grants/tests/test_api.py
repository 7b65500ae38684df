"""The JSON API: agreements with balances, the ledger, and idempotent posting by client id."""

import datetime as dt
from decimal import Decimal

import pytest

from sinergi.grants.tests.factories import ELECTION, agreement_make

pytestmark = pytest.mark.django_db

BASE = f"/api/v1/grants/agreements/{ELECTION}/kpu-kukar"


@pytest.fixture
def agreement(users):
    return agreement_make(
        users["finance"], amount="76055000000", policy="41-2020-bertahap", signed_on=dt.date(2023, 11, 10)
    )


def test_list_has_balances_and_filters_by_area_and_election(client, users, agreement, bearer):
    agreement_make(users["finance"], recipient="polres-kukar", amount="8100000000")
    headers = bearer(users["inspector"])
    rows = client.get("/api/v1/grants/agreements?area=64.02", headers=headers).json()
    assert {r["recipient"] for r in rows} == {"kpu-kukar", "polres-kukar"}
    assert rows[0]["amount"] == "76055000000.00" and rows[0]["balance"] == "0.00"
    assert client.get("/api/v1/grants/agreements?election=psu-x", headers=headers).json() == []


def test_post_is_idempotent_by_client_id(client, users, agreement, bearer):
    headers = bearer(users["finance"])
    body = {
        "client_id": "c-1",
        "kind": "disbursement",
        "amount": "30422000000",
        "entry_date": "2023-12-05",
        "reference": "SP2D 12877",
    }
    first = client.post(f"{BASE}/entries", body, content_type="application/json", headers=headers)
    again = client.post(f"{BASE}/entries", body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert first.json()["channel"] == "api"
    detail = client.get(BASE, headers=headers).json()
    assert detail["disbursed"] == "30422000000.00" and detail["entry_count"] == 1
    assert [t["status"] for t in detail["tranches"]] == ["paid", "late"]


def test_overspending_is_a_422_with_a_code_and_the_field(client, users, agreement, bearer):
    headers = bearer(users["finance"])
    body = {
        "client_id": "c-1",
        "kind": "disbursement",
        "amount": "76055000000.01",
        "entry_date": "2024-01-05",
        "reference": "SP2D",
    }
    response = client.post(f"{BASE}/entries", body, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "overspend" and response.json()["field"] == "amount"


def test_floats_and_missing_fields_are_refused_with_the_field_named(client, users, agreement, bearer):
    headers = bearer(users["finance"])
    body = {"client_id": "c-1", "kind": "disbursement", "amount": 1.5, "entry_date": "2024-01-05", "reference": "x"}
    response = client.post(f"{BASE}/entries", body, content_type="application/json", headers=headers)
    assert response.status_code == 422 and "amount" in response.json()["detail"]
    body = {"client_id": "c-1", "kind": "disbursement", "amount": "5"}
    response = client.post(f"{BASE}/entries", body, content_type="application/json", headers=headers)
    assert response.status_code == 422 and "entry_date" in response.json()["detail"]


def test_ledger_lists_entries_in_order_with_corrections(client, users, agreement, bearer):
    headers = bearer(users["finance"])
    bodies: list[dict[str, object]] = [
        {"kind": "disbursement", "amount": "100"},
        {"kind": "correction", "reverses_seq": 1, "note": "salah rekening"},
        {"kind": "disbursement", "amount": "100"},
    ]
    for n, body in enumerate(bodies):
        full: dict[str, object] = {"client_id": f"c-{n}", "entry_date": "2024-01-05", "reference": f"R{n}", **body}
        assert client.post(f"{BASE}/entries", full, content_type="application/json", headers=headers).status_code == 201
    entries = client.get(f"{BASE}/entries", headers=headers).json()
    assert [(e["seq"], e["amount"], e["reverses_seq"]) for e in entries] == [
        (1, "100.00", None),
        (2, "-100.00", 1),
        (3, "100.00", None),
    ]
    assert client.get(f"{BASE}/entries?after=2", headers=headers).json()[0]["seq"] == 3
    agreement.refresh_from_db()
    assert agreement.disbursed == Decimal(100)
