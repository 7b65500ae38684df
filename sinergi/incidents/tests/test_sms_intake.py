import pytest

from sinergi.incidents.models import Report
from sinergi.incidents.sms import EXAMPLE
from sinergi.incidents.sms_format import SmsFormatError, normalise_area_code, parse


def test_parser_is_forgiving_about_codes_case_and_spaces():
    parsed = parse(["6402062001001", "uang", "ada", "amplop", "beredar"])
    assert (parsed.desa_code, parsed.tps_code, parsed.keyword, parsed.text) == (
        "64.02.06.2001",
        "64.02.06.2001.001",
        "UANG",
        "ada amplop beredar",
    )
    assert normalise_area_code("64.02.06.2001.1") == ("64.02.06.2001", "64.02.06.2001.001")
    assert normalise_area_code("6402062001") == ("64.02.06.2001", None)
    assert normalise_area_code("64.02.06.2001-12") == ("64.02.06.2001", "64.02.06.2001.012")
    assert parse([":", "64.02.06.2001", "Banjir:", "air", "setinggi", "lutut"]).keyword == "BANJIR"


@pytest.mark.parametrize(
    ("words", "reason"),
    [
        ([], "belum ada"),
        (["TENGGARONG", "UANG", "ada", "amplop"], "tidak dikenali"),
        (["6402062001", "UANG"], "terlalu pendek"),
        (["6402062001"], "kata kunci"),
    ],
)
def test_parser_explains_broken_messages(words, reason):
    with pytest.raises(SmsFormatError, match=reason):
        parse(words)


def _sms(client, text, message_id=None, sender="+62 812-1111 2222"):
    body = {"sender": sender, "text": text, "token": "demo-sms-token", "message_id": message_id}
    return client.post("/api/v1/sms/inbound", body, content_type="application/json").json()


@pytest.mark.django_db
def test_sms_becomes_a_report_with_a_tracking_code(personas, client):
    reply = _sms(client, "lapor  6402062001001   UANG  ada pembagian amplop dekat TPS", message_id="gw-1")
    assert reply["ok"] is True
    report = Report.objects.get()
    assert report.tracking_code in reply["reply"] and "Panwascam Tenggarong" in reply["reply"]
    assert (report.channel, report.reporter_id, report.reporter_contact) == ("sms", None, "6281211112222")
    assert report.category.code == "politik-uang" and report.polling_station_id == "64.02.06.2001.001"
    assert _sms(client, "LAPOR 6402062001001 UANG ada pembagian amplop dekat TPS", message_id="gw-1") == reply
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_sms_from_a_registered_phone_is_filed_as_that_user(personas, client):
    personas.field_officer.phone = "0812-1111-2222"
    personas.field_officer.save()
    _sms(client, "LAPOR 64.02.06.2001 BANJIR air masuk ke TPS 002")
    assert Report.objects.get().reporter == personas.field_officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LAPOR 6402062001 DUIT ada amplop beredar", "kata kunci 'DUIT' tidak dikenal"),
        ("LAPOR 6402069999 UANG ada amplop beredar", "tidak ada"),
        ("LAPOR hari ini ada amplop", "tidak dikenali"),
    ],
)
def test_broken_sms_gets_an_explanation_and_an_example(personas, client, text, expected):
    reply = _sms(client, text)
    assert reply["ok"] is False and expected in reply["reply"] and f"Contoh: {EXAMPLE}" in reply["reply"]
    assert Report.objects.count() == 0
