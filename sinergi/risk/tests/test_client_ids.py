"""A client id names one request: the same body again returns the stored checklist, another body is a
409 naming both bodies (API and web form), and concurrent retries on PostgreSQL store exactly one."""

import functools

import pytest
from django.db import connection
from django.test import Client

from sinergi.conftest import client_for
from sinergi.core.errors import ClientIdReused
from sinergi.risk import services
from sinergi.risk.models import Checklist
from sinergi.risk.tests import factories
from testkit.builders import race as concurrently

TPS = "64.02.06.1001.002"
URL = f"/api/v1/risk/tps/{TPS}/assessment"


def put(bearer, user, body):
    return Client().put(URL, body, content_type="application/json", headers=bearer(user))


def test_api_same_client_id_with_another_body_is_409_naming_both(filled, analyst, bearer):
    first = {"client_id": "hp-1", "answers": factories.answers_with(filled.instrument, "2.3"), "note": "pagi"}
    stored = put(bearer, analyst, first)
    assert stored.status_code == 200 and stored.json()["version"] == 2
    assert put(bearer, analyst, first).json() == stored.json()  # the same body: the stored record
    other = {**first, "answers": factories.answers_with(filled.instrument, "3.1")}
    refused = put(bearer, analyst, other)
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "client_id_reused" and body["field"] == "client_id"
    assert body["stored"]["yes"] == {"2.3": True} and body["sent"]["yes"] == {"3.1": True}
    assert '"2.3"' in body["detail"] and '"3.1"' in body["detail"]
    noted = put(bearer, analyst, {**first, "note": "sore"})  # a different note is a different body too
    assert noted.status_code == 409 and noted.json()["sent"]["note"] == "sore"
    assert Checklist.objects.filter(tps_id=TPS).count() == 2


def test_web_form_reused_client_id_with_another_body_is_409(filled, personas):
    web = client_for(personas.field_officer)
    url = f"/kerawanan/tps/{TPS}/isi/?putaran={filled.slug}"
    data = {f"a-{c}": "tidak" for c in factories.all_no(filled.instrument)}
    data["client_id"] = "form-1"
    assert web.post(url, data).status_code == 302
    assert web.post(url, data).status_code == 302  # a double submit stores nothing new
    assert Checklist.objects.filter(tps_id=TPS).count() == 2
    changed = web.post(url, {**data, "a-2.1": "ya"})
    text = changed.content.decode()
    assert changed.status_code == 409 and "form-1" in text and "2.1" in text
    assert Checklist.objects.filter(tps_id=TPS).count() == 2


def test_service_retry_returns_the_stored_version_and_other_body_raises(filled, analyst):
    answers = factories.answers_with(filled.instrument, "8.1")
    first = services.checklist_submit(actor=analyst, round_=filled, tps_code=TPS, answers=answers, client_id="s-1")
    again = services.checklist_submit(actor=analyst, round_=filled, tps_code=TPS, answers=answers, client_id="s-1")
    assert first.pk == again.pk
    with pytest.raises(ClientIdReused) as err:
        services.checklist_submit(
            actor=analyst, round_=filled, tps_code=TPS, answers=factories.all_no(filled.instrument), client_id="s-1"
        )
    assert err.value.stored["yes"] == {"8.1": True} and err.value.sent["yes"] == {}


# --- PostgreSQL: real concurrency ---------------------------------------------------------------


def race(count: int, submit) -> tuple[list, list[Exception]]:
    return concurrently([functools.partial(submit, index) for index in range(count)], timeout=60)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_same_client_id_retries_store_one_and_return_it_to_all(world, personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite serialises writers")
    analyst = factories.analyst()
    round_ = factories.round_make(analyst)
    answers = factories.answers_with(round_.instrument, "2.1")
    for attempt in range(10):
        client_id = f"retry-{attempt}"

        def submit(index: int, client_id: str = client_id) -> int:
            return services.checklist_submit(
                actor=analyst, round_=round_, tps_code=TPS, answers=answers, client_id=client_id
            ).pk

        ok, failed = race(6, submit)
        assert failed == [], failed
        stored = Checklist.objects.get(client_id=client_id)
        assert ok == [stored.pk] * 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_same_client_id_with_different_bodies_one_wins_the_rest_409(world, personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite serialises writers")
    analyst = factories.analyst()
    round_ = factories.round_make(analyst)
    codes = ["2.1", "2.2", "3.1", "4.1", "5.2"]

    def submit(index: int) -> int:
        answers = factories.answers_with(round_.instrument, codes[index])
        return services.checklist_submit(
            actor=analyst, round_=round_, tps_code=TPS, answers=answers, client_id="same-id"
        ).pk

    ok, failed = race(len(codes), submit)
    assert len(ok) == 1 and len(failed) == len(codes) - 1
    assert all(isinstance(e, ClientIdReused) for e in failed), failed
    assert Checklist.objects.filter(tps_id=TPS).count() == 1
