import pytest

from sinergi.core.sms import sms_receive
from sinergi.turnout.models import Report, Slot
from sinergi.turnout.tests.conftest import TPS

pytestmark = pytest.mark.django_db
PHONE = "+62 812 1111 2222"  # operator's phone 0812-1111-2222 in another notation


def test_sms_report_is_stored_and_confirmed(election, operator):
    reply = sms_receive(sender=PHONE, text=f"TPS {TPS} 11 145", message_id="gw-1")
    assert reply.ok, reply.text
    assert "145" in reply.text and TPS in reply.text
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    assert slot.voters == 145 and slot.current is not None and slot.current.channel == "sms"


def test_gateway_retry_is_stored_once(election, operator):
    sms_receive(sender=PHONE, text=f"TPS {TPS} 11 145", message_id="gw-2")
    sms_receive(sender=PHONE, text=f"TPS {TPS} 11 145", message_id="gw-2")
    assert Report.objects.count() == 1


def test_undotted_kpu_code_is_accepted(election, operator):
    assert sms_receive(sender=PHONE, text="tps 64020610010001 09 40".replace("0001", "001")).ok


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("TPS 64.02.06.1001.001 11", "Format salah"),
        ("TPS 64.02.06 11 100", "tidak dikenal"),
        ("TPS 64.02.06.1001.001 11 seratus", "harus angka"),
        ("TPS 64.02.06.1001.001 17 100", "bukan titik waktu"),
        ("TPS 64.02.06.1001.099 11 100", "Ditolak"),
    ],
)
def test_sms_says_what_was_wrong(election, operator, text, says):
    reply = sms_receive(sender=PHONE, text=text)
    assert not reply.ok and says in reply.text
    assert Report.objects.count() == 0


def test_unknown_phone_is_refused(election, operator):
    reply = sms_receive(sender="+62 899 0000 000", text=f"TPS {TPS} 11 100")
    assert not reply.ok and "tidak terdaftar" in reply.text


def test_read_only_role_cannot_report_by_sms(election, personas):
    personas.coordinator.phone = "081300001111"
    personas.coordinator.save()
    reply = sms_receive(sender="6281300001111", text=f"TPS {TPS} 11 100")
    assert not reply.ok and "Ditolak" in reply.text


@pytest.mark.parametrize("voters", ["1²", "²", "9" * 5000, "١٠٠"])
def test_odd_digits_are_a_reply_not_a_500(election, operator, voters):
    reply = sms_receive(sender=PHONE, text=f"TPS {TPS} 11 {voters}", message_id=f"gw-odd-{len(voters)}-{voters[:2]}")
    assert not reply.ok and "harus angka" in reply.text
    assert Report.objects.count() == 0


def test_an_over_long_gateway_message_id_is_a_reply_not_a_500(election, operator):
    reply = sms_receive(sender=PHONE, text=f"TPS {TPS} 11 100", message_id="g" * 90)
    assert not reply.ok and "client_id" in reply.text
    assert Report.objects.count() == 0
