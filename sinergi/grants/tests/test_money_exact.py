"""Money in the ledger's check constraints is compared exactly, on SQLite as on PostgreSQL.

SQLite stores decimals with sen as floating point; the constraints used to compare
`refunded = disbursed - spent` in floats, so a valid last-sen refund was refused (409) and closing a
settled agreement failed with a 500. They now compare whole sen.
"""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from sinergi.conftest import client_for
from sinergi.grants.models import Agreement, AgreementStatus
from sinergi.grants.tests.factories import ELECTION, ENTRY_DAY, agreement_make, post

pytestmark = pytest.mark.django_db


def refund_via_api(client, amount: str, client_id: str):
    url = f"/api/v1/grants/agreements/{ELECTION}/kpu-kukar/entries"
    body = {"client_id": client_id, "kind": "refund", "amount": amount, "entry_date": str(ENTRY_DAY), "reference": "STS 1"}
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize(
    ("disbursed", "spent", "refund"),
    [
        ("1000000.01", "333333.33", "666666.68"),  # float: 1000000.01 - 333333.33 < 666666.68
        ("1000000.01", "999999.99", "0.02"),  # float: 1000000.01 - 999999.99 != 0.02
        ("76055000000.07", "70000000000.10", "6054999999.97"),
    ],
)
def test_a_last_sen_refund_and_closing_the_settled_agreement_work(users, disbursed, spent, refund):
    agreement = agreement_make(users["finance"], amount=disbursed)
    post(users["finance"], agreement, "disbursement", disbursed, "d1")
    post(users["kpu"], agreement, "spending", spent, "s1")
    response = refund_via_api(client_for(users["kpu"]), refund, "r1")
    assert response.status_code == 201, response.content
    stored = Agreement.objects.get(pk=agreement.pk)
    assert (stored.disbursed, stored.spent, stored.refunded) == (Decimal(disbursed), Decimal(spent), Decimal(refund))
    assert stored.balance == 0

    close = client_for(users["finance"]).post(
        reverse("grants:close", kwargs={"election": ELECTION, "recipient": "kpu-kukar"})
    )
    assert close.status_code == 302, close.content
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.CLOSED


def test_one_sen_too_much_is_refused_by_the_service_not_the_database(users):
    agreement = agreement_make(users["finance"], amount="1000000.01")
    post(users["finance"], agreement, "disbursement", "1000000.01", "d1")
    post(users["kpu"], agreement, "spending", "333333.33", "s1")
    response = refund_via_api(client_for(users["kpu"]), "666666.69", "r1")
    assert response.status_code == 422 and response.json()["code"] == "overspend"


def test_the_database_still_refuses_closing_with_one_sen_outstanding(users):
    agreement = agreement_make(users["finance"], amount="1000000.01")
    post(users["finance"], agreement, "disbursement", "1000000.01", "d1")
    post(users["kpu"], agreement, "spending", "333333.33", "s1")
    post(users["kpu"], agreement, "refund", "666666.67", "r1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.CLOSED)
    # And a refund one sen above the balance, written behind the service's back, is refused too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(refunded=Decimal("666666.69"))
    with transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(refunded=Decimal("666666.68"), status=AgreementStatus.CLOSED)
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.CLOSED
