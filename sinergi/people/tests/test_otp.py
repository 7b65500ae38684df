"""Login by phone number and a one-time code: short-lived, 6 digits, hashed, single use, throttled
per phone, per account and per client address, and never written to a log."""

import logging
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.accounts.models import LoginFailure
from sinergi.core.errors import ValidationFailed
from sinergi.messaging.models import OutboundMessage
from sinergi.people.models import LoginCode, Person, Phone
from sinergi.people.roster_import import import_people
from sinergi.people.services import Throttled, otp_request, otp_verify
from sinergi.people.tests.conftest import HEADER, kpps_row

pytestmark = pytest.mark.django_db
PHONE = "0812-1111-0001"
ADDRESS = "203.0.113.7"


@pytest.fixture
def siti(bodies, csv_file):
    import_people(csv_file(HEADER + kpps_row("Siti Rahmawati", f"{PHONE}; 0857-0000-0001", 1)))
    return Person.objects.select_related("user").get(user__first_name="Siti")


def _last_code() -> str:
    message = OutboundMessage.objects.filter(purpose="otp").order_by("-pk").first()
    assert message is not None
    found = re.search(r"\b(\d{6})\b", message.text)
    assert found is not None
    return found.group(1)


def test_a_code_logs_in_once_and_verifies_the_phone(siti):
    outcome = otp_request(PHONE, address=ADDRESS, channel="whatsapp")
    assert outcome.sent and outcome.phone == "+6281211110001"
    message = OutboundMessage.objects.get(purpose="otp")
    assert (message.channel, message.address) == ("whatsapp", "+6281211110001")
    code = _last_code()
    stored = LoginCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.expires_at - stored.created_at == timedelta(minutes=5)
    assert otp_verify("+62 812 1111 0001", code, address=ADDRESS) == siti.user
    siti.refresh_from_db()
    assert siti.activated_at is not None
    assert Phone.objects.get(e164="+6281211110001").verified_at is not None
    with pytest.raises(ValidationFailed):
        otp_verify(PHONE, code, address=ADDRESS)  # single use


def test_a_code_expires_after_five_minutes(siti):
    start = timezone.now()
    otp_request(PHONE, address=ADDRESS, now=start)
    code = _last_code()
    with pytest.raises(ValidationFailed, match="kedaluwarsa"):
        otp_verify(PHONE, code, address=ADDRESS, now=start + timedelta(minutes=5, seconds=1))
    assert otp_verify(PHONE, code, address=ADDRESS, now=start + timedelta(minutes=4, seconds=59)) == siti.user


def test_a_new_code_replaces_the_old_one(siti):
    otp_request(PHONE, address=ADDRESS)
    first = _last_code()
    otp_request(PHONE, address=ADDRESS)
    second = _last_code()
    if first != second:
        with pytest.raises(ValidationFailed):
            otp_verify(PHONE, first, address=ADDRESS)
    assert otp_verify(PHONE, second, address=ADDRESS) == siti.user


def test_a_code_dies_after_five_wrong_tries(siti):
    otp_request(PHONE, address=ADDRESS)
    code = _last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(ValidationFailed):
            otp_verify(PHONE, wrong, address=f"198.51.100.{_}")
    with pytest.raises(ValidationFailed):
        otp_verify(PHONE, wrong, address="198.51.100.9")
    with pytest.raises(ValidationFailed):
        otp_verify(PHONE, code, address="198.51.100.10")  # the right code, too late


def test_requests_are_throttled_per_phone(siti):
    for _ in range(3):
        otp_request(PHONE, address=None)
    with pytest.raises(Throttled):
        otp_request(PHONE, address=None)
    # The person's other number is another phone, but the same account: counted there.
    otp_request("0857-0000-0001", address=None)
    otp_request("0857-0000-0001", address=None)
    with pytest.raises(Throttled):
        otp_request("0857-0000-0001", address=None)  # 5 codes for the account


def test_requests_are_throttled_per_address_even_for_unknown_numbers(siti, settings):
    settings.SINERGI_PEOPLE_OTP = {"per_address": 4}
    settings.LOGIN_THROTTLE = {**settings.LOGIN_THROTTLE, "per_address": 6}
    for number in range(6):
        outcome = otp_request(f"0813-0000-{number:04d}", address=ADDRESS)
        assert not outcome.sent  # nobody holds these numbers; the page answers the same
    with pytest.raises(Throttled):
        otp_request(PHONE, address=ADDRESS)
    assert otp_request(PHONE, address="192.0.2.1").sent


def test_wrong_codes_count_in_the_accounts_login_throttle(siti):
    otp_request(PHONE, address=ADDRESS)
    code = _last_code()
    for _ in range(5):
        LoginFailure.objects.create(username=siti.user.username, address=ADDRESS)  # five bad passwords
    with pytest.raises(Throttled):
        otp_verify(PHONE, code, address=ADDRESS)
    LoginFailure.objects.all().delete()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(ValidationFailed):
        otp_verify(PHONE, wrong, address=ADDRESS)
    assert LoginFailure.objects.filter(username=siti.user.username).count() == 1


def test_the_pages_log_in_and_the_code_is_never_logged(siti, caplog):
    client = Client(REMOTE_ADDR=ADDRESS)
    login_page = client.get("/akun/masuk/")
    assert 'href="/orang/masuk-hp/"' in login_page.content.decode()
    with caplog.at_level(logging.DEBUG):
        sent = client.post("/orang/masuk-hp/", {"phone": PHONE, "channel": "sms", "next": "/akun/profil/"})
        assert sent.status_code == 302 and sent["Location"] == "/orang/masuk-hp/kode/"
        code = _last_code()
        form = client.get("/orang/masuk-hp/kode/").content.decode()
        assert "0812-****-0001" in form and code not in form
        wrong = client.post("/orang/masuk-hp/kode/", {"code": "000000" if code != "000000" else "111111"})
        assert wrong.status_code == 400 and code not in wrong.content.decode()
        done = client.post("/orang/masuk-hp/kode/", {"code": code})
    assert done.status_code == 302 and done["Location"] == "/akun/profil/"
    assert client.get("/akun/profil/").status_code == 200
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert caplog.records and code not in logged


def test_an_unknown_number_gets_the_same_answer(siti):
    client = Client()
    answer = client.post("/orang/masuk-hp/", {"phone": "0813-9999-0000", "channel": "sms"})
    assert answer.status_code == 302 and answer["Location"] == "/orang/masuk-hp/kode/"
    assert not LoginCode.objects.exists() and not OutboundMessage.objects.exists()
    bad = client.post("/orang/masuk-hp/", {"phone": "021-555", "channel": "sms"})
    assert bad.status_code == 400 and "bukan nomor seluler" in bad.content.decode()
