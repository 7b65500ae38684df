import json

import pytest
from django.test import Client

from sinergi.core.errors import ValidationFailed
from sinergi.core.models import InboundSms
from sinergi.core.sanitise import clean_text, request_refusal
from sinergi.incidents.models import Report

INCIDENT = {
    "category": "politik-uang",
    "area_code": "6402062001001",
    "description": "Pembagian amplop di dekat TPS pagi ini",
    "severity": 3,
    "client_id": "hp-nul-0001",
}
PUBLIC_FORM = {
    "category": "intimidasi-kekerasan",
    "area_code": "64.02.06.2001",
    "description": "Ada orang berteriak mengancam warga yang akan memilih",
    "reporter_name": "Siti",
    "reporter_contact": "0813 5555 1234",
    "client_id": "pub-nul-1",
}


@pytest.mark.parametrize("text", ["Balai desa", "baris satu\nbaris dua\r\n", "kolom\tkolom", "Tenggarong é ñ 中文 🗳"])
def test_ordinary_text_passes_unchanged(text):
    assert clean_text(text, field="nama") == text


@pytest.mark.parametrize(
    ("text", "character"),
    [("a\x00b", "U+0000"), ("\x1b[31m", "U+001B"), ("x\x7f", "U+007F"), ("x\x85y", "U+0085"), ("\x9f", "U+009F")],
)
def test_control_characters_are_refused_naming_field_and_character(text, character):
    with pytest.raises(ValidationFailed) as failure:
        clean_text(text, field="alamat")
    error = failure.value
    assert error.field == "alamat" and error.status == 422
    assert f"berisi karakter kendali {character}" in error.detail and "alamat" in error.detail
    assert error.as_dict()["errors"] == [{"field": "alamat", "reason": error.detail}]


def _api(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "amplop\x00di TPS"}, "description"),
        ({"description": "amplop \u0085"}, "description"),
        ({"client_id": "hp\x01"}, "client_id"),
        ({"extra": {"nested": ["ok", "bad\x00"]}}, "extra.nested.1"),
    ],
)
def test_api_json_body_with_a_control_character_is_422_naming_the_field(personas, bearer, change, field):
    response = _api(Client(), "/api/v1/incidents", {**INCIDENT, **change}, **bearer(personas.field_officer))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == field and "karakter kendali" in body["errors"][0]["reason"]
    assert field in body["detail"]
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_raw_nul_byte_in_the_json_body_is_refused_too(personas, bearer):
    raw = json.dumps(INCIDENT).replace("Pembagian", "Pem\\u0000bagian").encode()
    response = Client().post(
        "/api/v1/incidents", raw.replace(b"\\u0000", b"\x00"), content_type="application/json",
        headers=bearer(personas.field_officer),
    )  # fmt: skip
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "description"
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_clean_api_body_still_works(personas, bearer):
    response = _api(Client(), "/api/v1/incidents", INCIDENT, **bearer(personas.field_officer))
    assert response.status_code == 201
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_sms_webhook_refuses_control_characters_and_stores_nothing(world):
    body = {"token": "demo-sms-token", "sender": "0812-3456-7890", "text": "LAPOR\x00 64.02.06.2001 amplop"}
    response = _api(Client(), "/api/v1/sms/inbound", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "text"
    assert not InboundSms.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("multipart", [True, False])
def test_page_form_with_a_control_character_is_a_400_page_naming_the_field(world, multipart):
    form = {**PUBLIC_FORM, "reporter_contact": "0813\x00 5555"}
    if multipart:
        response = Client().post("/laporan/publik/", form)
    else:
        from urllib.parse import urlencode

        response = Client().post("/laporan/publik/", urlencode(form), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    page = response.content.decode()
    assert "reporter_contact" in page and "karakter kendali U+0000" in page
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_query_string_is_checked_too(world):
    response = Client().get("/laporan/publik/", {"cari": "biru\x00"})
    assert response.status_code == 400 and "cari" in response.content.decode()
    assert Client().get("/api/v1/sms/inbound", {"q": "\x07"}).json()["errors"][0]["field"] == "q"


def test_json_is_parsed_only_when_the_raw_body_holds_a_control_character(rf, monkeypatch):
    calls: list[tuple] = []

    def loads(*args, **kwargs):
        calls.append(args)
        return {}

    monkeypatch.setattr("sinergi.core.sanitise.json.loads", loads)
    clean = rf.post("/api/v1/x", json.dumps({"a": "baris\nbaru \\ \u00e9"}), content_type="application/json")
    assert request_refusal(clean) is None and calls == []
    escaped = rf.post("/api/v1/x", '{"a": "\\u001b"}', content_type="application/json")
    request_refusal(escaped)
    assert len(calls) == 1


def test_file_uploads_are_not_text_fields(rf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff\x00\x01\x02\x1b\x7f", content_type="image/jpeg")
    request = rf.post("/laporan/publik/", {"description": "foto", "attachment": upload})
    assert request_refusal(request) is None


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        (b'{"a": "\\u0000"}', True),
        (b'{"a": "\\u001B"}', True),
        (b'{"a": "\\u0085"}', True),
        (b'{"a": "x\x00y"}', True),
        (b'{"a": "x\xc2\x85y"}', True),
        (b'{"a": "tab\\u0009 newline\\u000a cr\\u000d"}', False),
        (b'{"a": "\\u00e9 \xc2\xb0 \\\\u0000"}', False),  # e-acute, degree sign, an escaped backslash
        (b'{"a": "\t\n"}', False),
    ],
)
def test_raw_json_bodies(rf, body, refused):
    request = rf.generic("POST", "/api/v1/x", body, content_type="application/json")
    assert (request_refusal(request) is not None) is refused
