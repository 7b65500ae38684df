import pytest

from sinergi.conftest import client_for
from sinergi.messaging import templates
from sinergi.messaging.models import MessageTemplate, OutboundMessage, Status
from sinergi.messaging.seed_templates import TEMPLATES
from testkit.builders import user_make

pytestmark = pytest.mark.django_db


def test_every_seeded_template_exists_in_indonesian_and_english_with_the_same_placeholders():
    for key, _description, indonesian, english in TEMPLATES:
        rows = dict(MessageTemplate.objects.filter(key=key).values_list("language", "text"))
        assert rows == {"id": indonesian, "en": english}
        assert templates.placeholders(indonesian) == templates.placeholders(english)
    keys = {t[0] for t in TEMPLATES}
    assert {"activation_link", "otp_code", "missing_tps_alert", "incident_status", "action_reminder"} <= keys
    assert {"escalation", "broadcast", "test_broadcast"} <= keys


def test_render_in_the_recipients_language_falls_back_to_indonesian_and_names_missing_fields():
    context = {"code": "482913", "minutes": 5}
    assert templates.render("otp_code", context).startswith("Kode masuk Sinergi: 482913")
    assert templates.render("otp_code", context, "en-US").startswith("Sinergi login code: 482913")
    MessageTemplate.objects.filter(key="otp_code", language="en").delete()
    assert templates.render("otp_code", context, "en").startswith("Kode masuk Sinergi")
    with pytest.raises(KeyError, match="minutes"):
        templates.render("otp_code", {"code": "1"})
    with pytest.raises(templates.UnknownTemplate):
        templates.render("nope", {})


def test_an_edited_template_is_what_is_sent():
    MessageTemplate.objects.filter(key="broadcast", language="id").update(text="PENTING: {text}")
    assert templates.render("broadcast", {"text": "rapat jam 9"}) == "PENTING: rapat jam 9"


def _message(area: str, status: str = Status.SENT, reason: str = "") -> OutboundMessage:
    return OutboundMessage.objects.create(
        channel="sms",
        provider="android",
        address="+628120000" + area[-2:].replace(".", "0"),
        text="x",
        purpose="alert",
        status=status,
        reason=reason,
        area_code=area,
    )


def test_outbox_page_shows_the_coordinators_area_with_state_and_reason(personas, django_assert_num_queries):
    kukar = _message("64.02.06.2001", Status.FAILED, "RESULT_ERROR_GENERIC_FAILURE")
    _message("64.02.06.2001", Status.DELIVERED)
    samarinda = _message("64.72.01", Status.FAILED, "rahasia Samarinda")
    client = client_for(personas.coordinator)
    with django_assert_num_queries(7):  # session, user, memberships, counts, page count, rows, nav
        response = client.get("/pesan/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-message="{kukar.pk}"' in page and "RESULT_ERROR_GENERIC_FAILURE" in page
    assert f'data-message="{samarinda.pk}"' not in page and "rahasia Samarinda" not in page
    assert "WITA" in page
    failed_only = client.get("/pesan/", {"status": "failed"}).content.decode()
    assert failed_only.count("data-message=") == 1
    assert client_for(personas.national_admin).get("/pesan/").content.decode().count("data-message=") == 3
    for _ in range(30):  # more rows, same queries
        _message("64.02.06.2001")
    with django_assert_num_queries(7):
        assert client.get("/pesan/").content.decode().count("data-message=") == 32


def test_outbox_is_refused_to_roles_without_it(personas):
    assert client_for(personas.field_officer).get("/pesan/").status_code == 403
    assert client_for(personas.outsider).get("/api/v1/messaging/messages").status_code == 403


def test_outbox_api_filters(personas, bearer, client):
    _message("64.02.06.2001", Status.FAILED, "x")
    _message("64.02.06.2001", Status.DELIVERED)
    rows = client.get("/api/v1/messaging/messages?status=failed", headers=bearer(personas.coordinator)).json()
    assert [r["status"] for r in rows] == ["failed"]
    assert rows[0]["reason"] == "x"
    leader = user_make("bupati", "pimpinan", "64.02", "pemkab-kukar")
    assert len(client.get("/api/v1/messaging/messages", headers=bearer(leader)).json()) == 2
