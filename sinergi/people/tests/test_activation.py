"""Activation links: sent by the person's channel, hashed, single use, expiring (controlled clock)."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.messaging.models import OutboundMessage
from sinergi.people.models import ActivationLink, Person
from sinergi.people.roster_import import import_people
from sinergi.people.services import (
    LinkInvalid,
    activation_complete,
    activation_links_create,
    activation_send,
    token_hash,
)
from sinergi.people.tests.conftest import HEADER, kpps_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_on(settings):
    settings.SINERGI_ANDROID_SMS_URL = "http://127.0.0.1:9/android"  # never called: tests do not deliver


@pytest.fixture
def siti(bodies, csv_file):
    import_people(csv_file(HEADER + kpps_row("Siti Rahmawati", "0812-1111-0001", 1)))
    return Person.objects.select_related("user").get(user__first_name="Siti")


def _token(text: str) -> str:
    found = re.search(r"/orang/aktivasi/([A-Za-z0-9_-]+)/", text)
    assert found is not None
    return found.group(1)


def test_a_new_person_gets_a_link_by_sms_and_only_its_hash_is_stored(siti, sms_on):
    result = activation_send([siti.user_id])
    assert result.queued == 1 and result.unreachable == []
    message = OutboundMessage.objects.get(purpose="activation")
    assert (message.channel, message.address, message.user_id) == ("sms", "+6281211110001", siti.user_id)
    token = _token(message.text)
    link = ActivationLink.objects.get(user=siti.user)
    assert link.token_hash == token_hash(token) and token not in link.token_hash


def test_a_person_without_a_channel_is_reported_unreachable(siti):
    # No SMS gateway configured and no e-mail: nothing can carry the link.
    result = activation_send([siti.user_id])
    assert result.queued == 0 and result.unreachable == [siti.user_id]
    assert not OutboundMessage.objects.exists()


def test_the_link_sets_a_password_once(siti):
    token = activation_links_create([siti.user_id])[siti.user_id]
    client = Client()
    page = client.get(f"/orang/aktivasi/{token}/")
    assert page.status_code == 200 and "Siti Rahmawati" in page.content.decode()
    done = client.post(
        f"/orang/aktivasi/{token}/",
        {"action": "password", "password1": "kuda-lari-cepat-42", "password2": "kuda-lari-cepat-42"},
    )
    assert done.status_code == 302
    siti.refresh_from_db()
    siti.user.refresh_from_db()
    assert siti.activated_at is not None and siti.user.check_password("kuda-lari-cepat-42")
    assert client.get("/akun/profil/").status_code == 200  # logged in
    again = Client().post(f"/orang/aktivasi/{token}/", {"action": "phone"})
    assert again.status_code == 410 and "sudah dipakai" in again.content.decode()


def test_a_weak_or_mismatched_password_keeps_the_link(siti):
    token = activation_links_create([siti.user_id])[siti.user_id]
    client = Client()
    weak = client.post(f"/orang/aktivasi/{token}/", {"action": "password", "password1": "123", "password2": "123"})
    assert weak.status_code == 400
    other = client.post(
        f"/orang/aktivasi/{token}/", {"action": "password", "password1": "kuda-lari-42x", "password2": "x"}
    )
    assert other.status_code == 400 and "tidak sama" in other.content.decode()
    assert ActivationLink.objects.get(user=siti.user).used_at is None
    assert client.post(f"/orang/aktivasi/{token}/", {"action": "phone"}).status_code == 302


def test_the_link_expires(siti, settings):
    settings.SINERGI_PEOPLE_ACTIVATION_DAYS = 3
    start = timezone.now()
    token = activation_links_create([siti.user_id], now=start)[siti.user_id]
    with pytest.raises(LinkInvalid, match="kedaluwarsa"):
        activation_complete(token, now=start + timedelta(days=3, seconds=1))
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(days=3, seconds=1)):
        page = Client().get(f"/orang/aktivasi/{token}/")
    assert page.status_code == 410 and "kedaluwarsa" in page.content.decode()
    # A second before the end it still works.
    user = activation_complete(token, now=start + timedelta(days=3) - timedelta(seconds=1))
    assert user == siti.user


def test_using_one_link_closes_the_others(siti):
    tokens = [activation_links_create([siti.user_id])[siti.user_id] for _ in range(2)]
    activation_complete(tokens[0])
    with pytest.raises(LinkInvalid, match="tautan lain"):
        activation_complete(tokens[1])


def test_an_unknown_token_is_refused_without_saying_whose(siti):
    page = Client().get("/orang/aktivasi/not-a-token/")
    assert page.status_code == 410 and "Siti" not in page.content.decode()


def test_dead_codes_and_links_are_pruned(siti):
    from sinergi.people.jobs import prune_secrets
    from sinergi.people.models import LoginCode
    from sinergi.people.services import otp_request

    old = timezone.now() - timedelta(days=50)  # its link expired 36 days ago
    activation_links_create([siti.user_id], now=old)
    fresh = activation_links_create([siti.user_id])
    otp_request("0812-1111-0001", address=None, now=old)
    otp_request("0812-1111-0001", address=None)
    assert prune_secrets(timezone.now()) == 2
    assert ActivationLink.objects.get().token_hash == token_hash(fresh[siti.user_id])
    assert LoginCode.objects.count() == 1
