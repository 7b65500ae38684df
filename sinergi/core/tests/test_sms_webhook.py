import pytest

from sinergi.core.models import InboundSms

URL = "/api/v1/sms/inbound"


def post(client, **payload):
    return client.post(
        URL, {"token": "demo-sms-token", "sender": "0812-3456-7890", **payload}, content_type="application/json"
    )


@pytest.mark.django_db
def test_wrong_gateway_token_is_refused(client):
    response = client.post(URL, {"token": "nope", "sender": "1", "text": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "bad_gateway_token"
    assert not InboundSms.objects.exists()


@pytest.mark.django_db
def test_unknown_keyword_gets_help_and_is_kept(client):
    response = post(client, text="halo apa kabar")
    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert "Format tidak dikenal" in response.json()["reply"]
    stored = InboundSms.objects.get()
    assert stored.sender == "6281234567890"
    assert stored.keyword == "HALO"


@pytest.mark.django_db
def test_a_retried_message_id_is_stored_once_with_the_same_reply(client):
    first = post(client, text="HALO", message_id="gw-1").json()
    second = post(client, text="HALO", message_id="gw-1").json()
    assert first == second
    assert InboundSms.objects.count() == 1


@pytest.mark.django_db
def test_missing_field_is_a_named_validation_error(client):
    response = client.post(URL, {"token": "demo-sms-token", "text": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert "sender" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload, status",
    [
        ({"text": "A" * 40}, 200),  # an over-long unknown keyword: help reply, stored cut to the column
        ({"sender": "1" * 60, "text": "HALO"}, 422),
        ({"message_id": "m" * 150, "text": "HALO"}, 422),
    ],
)
def test_over_long_gateway_values_are_answered_not_a_500(client, payload, status):
    response = post(client, **payload)
    assert response.status_code == status
    assert InboundSms.objects.count() == (1 if status == 200 else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("other", [{"sender": "0813-0000-0000", "text": "HALO"}, {"text": "HALO LAGI"}])
def test_a_message_id_reused_by_another_message_is_refused_without_the_first_reply(client, other):
    """A gateway that numbers messages per modem, or a replay, must not hand one sender another's reply
    (an incident reply carries its tracking code) nor silently drop the second message."""
    first = post(client, text="HALO", message_id="gw-7").json()
    response = client.post(
        URL,
        {"token": "demo-sms-token", "sender": "0812-3456-7890", "message_id": "gw-7", **other},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert first["reply"] not in response.content.decode()
    assert InboundSms.objects.count() == 1
