"""Who may see and change what: the outsider gets 404 everywhere, read-only roles 403 on writes,
recipients only their own agreements, and the public pages need no login."""

import pytest
from django.urls import reverse

from sinergi.conftest import client_for
from sinergi.grants.tests.factories import ELECTION, agreement_make

pytestmark = pytest.mark.django_db

ENTRY = {"kind": "disbursement", "amount": "100", "entry_date": "2024-03-20", "reference": "SP2D 1", "client_id": "x1"}


@pytest.fixture
def agreement(users):
    return agreement_make(users["finance"], recipient="kpu-kukar")


def internal_urls(agreement) -> list[tuple[str, str]]:
    args = {"election": ELECTION, "recipient": agreement.recipient.code}
    api = f"/api/v1/grants/agreements/{ELECTION}/{agreement.recipient.code}"
    return [
        ("get", reverse("grants:overview", args=["64.02"])),
        ("get", reverse("grants:overview", args=["64"])),
        ("get", reverse("grants:export", args=["64.02"])),
        ("get", reverse("grants:new", args=["64.02"])),
        ("get", reverse("grants:agreement", kwargs=args)),
        ("post", reverse("grants:entry_post", kwargs=args)),
        ("post", reverse("grants:amend", kwargs=args)),
        ("post", reverse("grants:close", kwargs=args)),
        ("post", reverse("grants:ratification", args=["64.02"])),
        ("get", api),
        ("get", api + "/entries"),
        ("post_json", api + "/entries"),
    ]


def call(client, method: str, url: str, headers=None):
    if method == "post_json":
        return client.post(url, ENTRY, content_type="application/json", headers=headers or {})
    return getattr(client, method)(url, ENTRY if method == "post" else None, headers=headers or {})


def test_the_outsider_gets_404_on_every_internal_url_and_endpoint(personas, agreement, bearer):
    client = client_for(personas.outsider)
    for method, url in internal_urls(agreement):
        assert call(client, method, url).status_code == 404, url
        assert call(client, method, url, headers=bearer(personas.outsider)).status_code == 404, url
    listed = client.get("/api/v1/grants/agreements").json()
    assert listed == []


@pytest.mark.parametrize("who", ["observer", "bawaslu"])
def test_roles_without_grant_access_get_404_on_this_agreement(users, agreement, who):
    client = client_for(users[who])
    for method, url in internal_urls(agreement):
        if url.endswith("/64/"):
            continue
        assert call(client, method, url).status_code == 404, url


@pytest.mark.parametrize("who", ["inspector", "leader"])
def test_readers_read_everything_and_get_403_on_writes(users, agreement, who):
    client = client_for(users[who])
    assert client.get(reverse("grants:overview", args=["64.02"])).status_code == 200
    assert client.get(reverse("grants:export", args=["64.02"])).status_code == 200
    for method, url in internal_urls(agreement):
        response = call(client, method, url)
        assert response.status_code == (200 if method == "get" and "/baru/" not in url else 403), url


def test_the_recipient_posts_its_spending_but_not_disbursements(users, agreement, bearer):
    api = f"/api/v1/grants/agreements/{ELECTION}/kpu-kukar/entries"
    headers = bearer(users["finance"])
    assert call(client_for(users["finance"]), "post_json", api, headers).status_code == 201
    kpu = client_for(users["kpu"])
    spending = {**ENTRY, "kind": "spending", "category": "logistik", "client_id": "s1", "amount": "40"}
    response = kpu.post(api, spending, content_type="application/json")
    assert response.status_code == 201, response.content
    disbursement = {**ENTRY, "client_id": "d2"}
    response = kpu.post(api, disbursement, content_type="application/json")
    assert response.status_code == 403
    # The overview shows the recipient only its own agreement.
    agreement_make(users["finance"], recipient="bawaslu-kukar")
    page = kpu.get(reverse("grants:overview", args=["64.02"])).content.decode()
    assert "Kpu Kukar" in page and "Bawaslu Kukar" not in page


def test_the_finance_office_cannot_report_the_recipients_spending(users, agreement):
    client = client_for(users["finance"])
    api = f"/api/v1/grants/agreements/{ELECTION}/kpu-kukar/entries"
    client.post(api, ENTRY, content_type="application/json")
    spending = {**ENTRY, "kind": "spending", "category": "logistik", "client_id": "s1"}
    assert client.post(api, spending, content_type="application/json").status_code == 403


def test_public_pages_need_no_login(users, agreement, client):
    assert client.get(reverse("grants:public_index")).status_code == 200
    assert client.get(reverse("grants:public_region", args=["64.02"])).status_code == 200
    assert client.get(reverse("grants:public_region", args=["64.72"])).status_code == 404


def test_anonymous_visitors_are_sent_to_login_on_internal_pages(agreement, client):
    response = client.get(reverse("grants:overview", args=["64.02"]))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    assert client.get("/api/v1/grants/agreements").status_code == 401


def test_the_start_page_sends_people_without_grant_access_to_the_public_page(personas, users):
    assert client_for(personas.outsider).get(reverse("grants:start"))["Location"] == reverse("grants:public_index")
    assert client_for(users["finance"]).get(reverse("grants:start"))["Location"] == reverse(
        "grants:overview", args=["64.02"]
    )
