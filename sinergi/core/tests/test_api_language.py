"""API errors and SMS replies in the reader's language (issue 15).

An API client without a browser session (a token, a script, the SMS gateway) is answered in its
Accept-Language, Indonesian by default; a page's own fetch keeps the page's language (the switch's
cookie, else Indonesian). The machine-readable `code` is the same in every language. An SMS reply is in
the sender's own language (their account's `preferred_language`), Indonesian for an unknown number.
"""

import pytest
from django.conf import settings
from django.test import Client

from sinergi.accounts.roles import Role
from sinergi.accounts.tokens import token_create
from sinergi.conftest import client_for
from sinergi.turnout.setup import election_prepare
from testkit.builders import user_make

URL = "/api/v1/turnout/reports"
UNKNOWN_TPS = {"tps_code": "64.02.06.1001.099", "checkpoint": "11", "voters": 120}
SMS_URL = "/api/v1/sms/inbound"


@pytest.fixture
def operator(world):
    election_prepare(world["election"])
    user = user_make("kpu.kukar", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    user.phone = "0812-1111-2222"
    user.save()
    return user


def post(client: Client, body: dict, **headers: str):
    return client.post(URL, body, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_a_domain_error_follows_accept_language_and_keeps_its_code(operator):
    client, token = Client(), f"Bearer {token_create(user=operator)}"
    indonesian = post(client, UNKNOWN_TPS, Authorization=token)
    english = post(client, UNKNOWN_TPS, Authorization=token, **{"Accept-Language": "en-US,en;q=0.9"})
    asked_indonesian = post(client, UNKNOWN_TPS, Authorization=token, **{"Accept-Language": "id,en;q=0.5"})
    assert indonesian.status_code == english.status_code == 404
    assert indonesian.json()["code"] == english.json()["code"] == asked_indonesian.json()["code"]
    assert indonesian.json()["detail"] == "TPS 64.02.06.1001.099 bukan TPS Pilbup Kukar 2024"
    assert english.json()["detail"] == "TPS 64.02.06.1001.099 is not a TPS of Pilbup Kukar 2024"
    assert asked_indonesian.json()["detail"] == indonesian.json()["detail"]
    assert english["Content-Language"] == "en" and indonesian["Content-Language"] == "id"


@pytest.mark.django_db
def test_ninjas_422_names_each_field_with_a_reason_in_the_readers_language(operator):
    client, token = Client(), f"Bearer {token_create(user=operator)}"
    body = {"tps_code": "64.02.06.1001.001", "checkpoint": "11", "voters": "banyak"}
    indonesian = post(client, body, Authorization=token)
    english = post(client, body, Authorization=token, **{"Accept-Language": "en"})
    assert indonesian.status_code == english.status_code == 422
    assert indonesian.json()["code"] == english.json()["code"] == "validation_error"
    assert indonesian.json()["errors"] == [{"field": "payload.voters", "reason": "harus bilangan bulat"}]
    assert english.json()["errors"] == [{"field": "payload.voters", "reason": "must be a whole number"}]
    assert english.json()["detail"] == "payload.voters: must be a whole number"


@pytest.mark.django_db
def test_a_service_validation_error_is_translated_too(operator):
    client, token = Client(), f"Bearer {token_create(user=operator)}"
    body = {"tps_code": "64.02.06.1001.001", "checkpoint": "17", "voters": 10}
    english = post(client, body, Authorization=token, **{"Accept-Language": "en"}).json()
    indonesian = post(client, body, Authorization=token).json()
    assert english["errors"][0]["field"] == indonesian["errors"][0]["field"] == "reports[0].checkpoint"
    assert english["detail"] == "'17' is not a checkpoint of Pilbup Kukar 2024 (09, 11, 13, final)"
    assert indonesian["detail"] == "'17' bukan titik waktu Pilbup Kukar 2024 (09, 11, 13, final)"


@pytest.mark.django_db
def test_not_signed_in_is_answered_in_the_asked_language(client):
    assert client.get("/api/v1/turnout/areas/64.02", headers={"Accept-Language": "en"}).json() == {
        "code": "unauthenticated",
        "detail": "log in or send a valid Bearer token",
    }
    assert client.get("/api/v1/turnout/areas/64.02").json()["detail"] == "masuk atau kirim token Bearer yang sah"


@pytest.mark.django_db
def test_a_pages_own_fetch_keeps_the_pages_language(operator):
    """A browser session is answered like the pages: Indonesian unless the switch chose English."""
    browser = client_for(operator)
    english_browser = post(browser, UNKNOWN_TPS, **{"Accept-Language": "en-US,en;q=0.9"})
    assert english_browser.json()["detail"] == "TPS 64.02.06.1001.099 bukan TPS Pilbup Kukar 2024"
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert post(browser, UNKNOWN_TPS).json()["detail"] == "TPS 64.02.06.1001.099 is not a TPS of Pilbup Kukar 2024"


def sms(client: Client, sender: str, text: str) -> dict:
    body = {"token": "demo-sms-token", "sender": sender, "text": text}
    return client.post(SMS_URL, body, content_type="application/json", headers={"Accept-Language": "en"}).json()


@pytest.mark.django_db
def test_an_sms_reply_is_in_the_senders_language(client, operator):
    refused = sms(client, "0812 1111 2222", "TPS 64.02.06.1001.001 17 100")
    assert refused == {
        "reply": "Ditolak: '17' bukan titik waktu Pilbup Kukar 2024 (09, 11, 13, final)",
        "ok": False,
    }  # the operator keeps Indonesian, whatever the gateway's HTTP client asks for
    operator.preferred_language = "en"
    operator.save()
    refused = sms(client, "0812 1111 2222", "TPS 64.02.06.1001.001 17 100")
    assert refused["reply"] == "Refused: '17' is not a checkpoint of Pilbup Kukar 2024 (09, 11, 13, final)"
    recorded = sms(client, "0812 1111 2222", "TPS 64.02.06.1001.001 11 1234")
    assert recorded["ok"] and recorded["reply"].startswith("Recorded TPS 64.02.06.1001.001 checkpoint 11: 1,234 voters")
    assert sms(client, "0813 0000 0000", "HALO")["reply"].startswith("Format tidak dikenal. Contoh: ")


@pytest.mark.django_db
def test_an_sms_report_refusal_shows_the_reason_not_a_field_path(client, world):
    reply = sms(client, "0813 0000 0000", "LAPOR 6402069999 UANG ada amplop beredar di dekat TPS")
    assert not reply["ok"]
    assert reply["reply"].startswith("Laporan belum diterima: desa/kelurahan 64.02.06.9999 tidak ada. Contoh: LAPOR")
    assert "area_code" not in reply["reply"]


@pytest.mark.django_db
def test_an_unknown_api_url_is_answered_in_the_asked_language(client):
    english = client.get("/api/v1/tidak-ada", headers={"Accept-Language": "en"}).json()
    assert english == {"code": "not_found", "detail": "no such API endpoint"}
    assert client.get("/api/v1/tidak-ada").json()["detail"] == "tidak ada endpoint API seperti ini"
