"""The grants access layer is one set of rules (permissions.py), declared on every route and used
by lists and single objects alike: a route's answer is what its rule says, for every grant role."""

import pytest
from django.urls import URLPattern, reverse

from sinergi.accounts.access import OBJECT_ACCESS
from sinergi.accounts.guards import PUBLIC, Guard, rule_of
from sinergi.accounts.roles import Role
from sinergi.conftest import client_for
from sinergi.core.errors import Forbidden, NotFound
from sinergi.grants import urls
from sinergi.grants.api import router
from sinergi.grants.permissions import AGREEMENT_TERMS, AGREEMENTS, REGIONS, AgreementGuard
from sinergi.grants.tests.factories import ELECTION, agreement_make, post
from testkit.builders import user_make

API = f"/api/v1/grants/agreements/{ELECTION}"


def test_every_grants_page_and_operation_declares_its_rule():
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        assert rule_of(pattern.callback) is not None, pattern.name
    for path_view in router.path_operations.values():
        for op in path_view.operations:
            assert rule_of(op.view_func) is not None, op.view_func.__name__
    assert {"grants.region", "grants.agreement", "grants.agreement.terms"} <= set(OBJECT_ACCESS)


def test_agreement_routes_are_guarded_by_the_agreement_rules():
    by_name = {p.name: rule_of(p.callback) for p in urls.urlpatterns}
    assert by_name["agreement"] == AgreementGuard(AGREEMENTS, write=False)
    assert by_name["entry_post"] == AgreementGuard(AGREEMENTS)
    assert by_name["amend"] == by_name["close"] == AgreementGuard(AGREEMENT_TERMS)
    assert by_name["overview"] == Guard(REGIONS, "code", write=False)
    assert by_name["new"] == Guard(REGIONS, "code", write=True)
    assert by_name["public_index"] is PUBLIC and by_name["public_region"] is PUBLIC


@pytest.fixture
def world_grants(users):
    kpu = agreement_make(users["finance"], recipient="kpu-kukar")
    bontang = agreement_make(users["finance"], recipient="polres-bontang")
    post(users["finance"], kpu, "disbursement", "100", "d1")
    users["polres_bontang"] = user_make("polres.bontang", Role.POLICE_PLANNER, "64.74", "polres-bontang")
    users["outsider"] = user_make("kpu.samarinda", Role.KPU_OPERATOR, "64.72", "kpu-samarinda")
    return {"kpu": kpu, "bontang": bontang}


def outcome(access, user, key, write: bool) -> int:
    try:
        access.get(user, key, write=write)
    except NotFound:
        return 404
    except Forbidden:
        return 403
    return 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["finance", "inspector", "leader", "observer", "kpu", "bawaslu", "polres", "polres_bontang", "outsider"]
)
def test_the_api_answers_what_the_rule_says_and_lists_what_it_makes_visible(users, world_grants, bearer, client, who):
    user = users[who]
    headers = bearer(user)
    listed = {a["recipient"] for a in client.get("/api/v1/grants/agreements", headers=headers).json()}
    assert listed == set(AGREEMENTS.visible(user).values_list("recipient__code", flat=True))
    for recipient in ("kpu-kukar", "polres-bontang"):
        key = (ELECTION, recipient)
        read = client.get(f"{API}/{recipient}", headers=headers).status_code
        assert read == outcome(AGREEMENTS, user, key, write=False), (who, recipient)
        # An empty body: the rule answers before the body is read (a reader gets 403, not 422).
        write = client.post(f"{API}/{recipient}/entries", "{}", content_type="application/json", headers=headers)
        want = outcome(AGREEMENTS, user, key, write=True)
        assert write.status_code == (422 if want == 200 else want), (who, recipient, write.content)


@pytest.mark.django_db
def test_the_recipient_rule_follows_the_agency_not_the_area(users, world_grants):
    bontang = users["polres_bontang"]  # Polres Bontang's planner, whose area is not Kukar
    assert set(AGREEMENTS.visible(bontang).values_list("recipient__code", flat=True)) == {"polres-bontang"}
    assert AGREEMENTS.get(bontang, (ELECTION, "polres-bontang"), write=True).recipient.code == "polres-bontang"
    with pytest.raises(NotFound):
        AGREEMENTS.get(bontang, (ELECTION, "kpu-kukar"))
    with pytest.raises(Forbidden):  # a recipient never changes the terms
        AGREEMENT_TERMS.get(bontang, (ELECTION, "polres-bontang"), write=True)
    # It may open the region page of its own grant (read only), not a page elsewhere.
    assert REGIONS.get(bontang, "64.02").code == "64.02"
    with pytest.raises(Forbidden):
        REGIONS.get(bontang, "64.02", write=True)
    with pytest.raises(NotFound):
        REGIONS.get(users["outsider"], "64.02")


@pytest.mark.django_db
def test_which_side_posts_which_kind_is_part_of_the_rule(users, world_grants, bearer, client):
    url = f"{API}/kpu-kukar/entries"
    body = {"kind": "disbursement", "amount": "10", "entry_date": "2024-03-20", "reference": "R", "client_id": "k1"}
    assert client.post(url, body, content_type="application/json", headers=bearer(users["kpu"])).status_code == 403
    spending = {**body, "kind": "spending", "category": "logistik", "client_id": "k2"}
    assert client.post(url, spending, content_type="application/json", headers=bearer(users["kpu"])).status_code == 201
    assert client.post(url, spending | {"client_id": "f1"}, content_type="application/json",
                       headers=bearer(users["finance"])).status_code == 403


@pytest.mark.django_db
def test_a_closed_agreement_refuses_entries_by_rule(users, world_grants):
    from sinergi.grants import services

    agreement = world_grants["bontang"]
    services.agreement_close(actor=users["finance"], agreement_id=agreement.pk)
    with pytest.raises(Forbidden, match="ditutup"):
        AGREEMENTS.get(users["finance"], agreement.pk, write=True)
    page = reverse("grants:entry_post", kwargs={"election": ELECTION, "recipient": "polres-bontang"})
    response = client_for(users["finance"]).post(page, {"kind": "disbursement", "amount": "1"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_province_export_is_refused_as_unsupported_not_as_invisible(users, world_grants):
    # The rule lets a regency reader open the province (it holds its agreements); the export is per
    # regency, so the answer is 422 with a reason, not a 404 that the rule does not give.
    response = client_for(users["finance"]).get(reverse("grants:export", args=["64"]))
    assert response.status_code == 422
    assert client_for(users["outsider"]).get(reverse("grants:export", args=["64"])).status_code == 404
