"""Who gets what by message: missing-TPS alerts to the KPPS chair and the PPS (with a fallback channel
after a failed delivery), status updates only to reporters who agreed, action reminders to the
assignees, escalations to whom incidents' escalation notifies."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from sinergi.accounts.models import Notification
from sinergi.messaging.delivery import apply_status, fall_back_due
from sinergi.messaging.models import OutboundMessage, Status
from sinergi.reach.models import AlertKind, AlertSent, ReporterConsent
from sinergi.turnout.alerts import missing_alerts_send
from sinergi.turnout.models import Checkpoint
from sinergi.turnout.setup import election_prepare

VOTING_DAY_NOON = datetime(2024, 11, 27, 12, 0, tzinfo=UTC)  # 20.00 WITA: every checkpoint's grace passed


@pytest.fixture
def checkpoint(world, roster):
    election = world["election"]
    election.refresh_from_db()  # the builder leaves the voting date as the string it was given
    election_prepare(election)
    return Checkpoint.objects.get(election=election, code="11")


@pytest.mark.django_db
def test_missing_tps_alerts_reach_the_kpps_chair_and_the_pps_and_staff_notices_stay(
    world, roster, personas, checkpoint
):
    from sinergi.accounts.roles import Role
    from testkit.builders import user_make

    kpu = user_make("kpu-op", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    missing_alerts_send(election=world["election"], checkpoint=checkpoint, now=VOTING_DAY_NOON)
    # The in-app notice per kecamatan to the KPU side covering it is as before.
    notices = sorted(Notification.objects.filter(user=kpu, source="turnout").values_list("title", flat=True))
    assert notices == ["3 TPS di Muara Badak belum lapor Pukul 11.00", "6 TPS di Tenggarong belum lapor Pukul 11.00"]
    assert not OutboundMessage.objects.filter(user=kpu).exists()  # staff keep their in-app notice only
    alerts = AlertSent.objects.filter(kind=AlertKind.MISSING_TPS)
    chairs = {u.pk for u in roster.kpps.values()}
    pps = {u.pk for u in roster.pps.values()}
    assert {a.user_id for a in alerts} == chairs | pps  # 9 chairs + 3 PPS, nobody else (no supervisors)
    assert alerts.count() == 12
    chair = roster.kpps["64.02.06.1001.002"]
    message = OutboundMessage.objects.get(user=chair, purpose="missing_tps")
    assert message.channel == "sms" and message.address == chair.person.phones.get().e164
    assert "64.02.06.1001.002" in message.text and "Sukarame" in message.text
    assert message.fallback_at is not None and not message.fallback_done
    pps_message = OutboundMessage.objects.get(user=roster.pps["64.02.06.1001"], purpose="missing_tps")
    assert "001, 002, 003" in pps_message.text  # one message per desa, naming its missing TPS
    # A re-run (the task retried, a second worker) sends nothing twice.
    missing_alerts_send(election=world["election"], checkpoint=checkpoint, now=VOTING_DAY_NOON)
    assert OutboundMessage.objects.filter(purpose="missing_tps").count() == 12


@pytest.mark.django_db
def test_a_reported_tps_is_not_alerted(world, roster, personas, checkpoint):
    from sinergi.turnout.models import Slot

    Slot.objects.filter(checkpoint=checkpoint, tps__code__startswith="64.02.06.1001").update(voters=100)
    missing_alerts_send(election=world["election"], checkpoint=checkpoint, now=VOTING_DAY_NOON)
    alerted = set(AlertSent.objects.values_list("user_id", flat=True))
    assert roster.kpps["64.02.06.1001.001"].pk not in alerted and roster.pps["64.02.06.1001"].pk not in alerted
    assert roster.kpps["64.02.06.2001.001"].pk in alerted and len(alerted) == 8  # 6 chairs + 2 PPS


@pytest.mark.django_db
def test_missing_tps_alert_falls_back_to_the_next_channel_after_a_failed_delivery(world, roster, checkpoint):
    missing_alerts_send(election=world["election"], checkpoint=checkpoint, now=VOTING_DAY_NOON)
    chair = roster.kpps["64.02.05.2001.001"]
    sms = OutboundMessage.objects.get(user=chair, purpose="missing_tps")
    with transaction.atomic():
        apply_status(sms, Status.SENT, "", timezone.now(), source="worker")
        apply_status(sms, Status.FAILED, "SIM tidak aktif", timezone.now(), source="callback")
    copy = OutboundMessage.objects.get(fallback_of=sms)
    assert copy.channel == "whatsapp" and copy.address == sms.address and copy.text == sms.text
    # Another chair's SMS is only sent, never delivered: after the delay it falls back too.
    other = OutboundMessage.objects.get(user=roster.kpps["64.02.05.2001.002"], purpose="missing_tps")
    with transaction.atomic():
        apply_status(other, Status.SENT, "", timezone.now(), source="worker")
    assert fall_back_due(now=timezone.now()) == 0  # not yet
    assert fall_back_due(now=timezone.now() + timedelta(minutes=11)) >= 1
    assert OutboundMessage.objects.filter(fallback_of=other, channel="whatsapp").exists()


FORM = {
    "category": "intimidasi-kekerasan",
    "area_code": "64.02.06.2001",
    "description": "Ada orang berteriak mengancam warga yang akan memilih",
    "reporter_name": "Siti",
}


@pytest.mark.django_db
def test_reporter_updates_only_with_consent(world, roster, personas):
    from sinergi.incidents.models import Report
    from sinergi.incidents.services import report_transition
    from sinergi.incidents.tests.factories import kapolsek

    client = Client()
    client.post(
        "/laporan/publik/", FORM | {"reporter_contact": "0813 5555 1234", "updates_consent": "on", "client_id": "p1"}
    )
    client.post("/laporan/publik/", FORM | {"reporter_contact": "0813 5555 7777", "client_id": "p2"})
    agreed, silent = Report.objects.order_by("pk")
    assert ReporterConsent.objects.get().report == agreed and ReporterConsent.objects.get().address == "+6281355551234"
    police = kapolsek()
    for report in (agreed, silent):
        report_transition(report_id=report.pk, actor=police, action="verify")
    update = OutboundMessage.objects.get(purpose="incident_status")
    assert update.address == "+6281355551234" and agreed.tracking_code in update.text and "Diverifikasi" in update.text
    assert not OutboundMessage.objects.filter(address="+6281355557777").exists()
    # A consent with a contact that is no mobile number is refused on the form, nothing stored.
    response = client.post(
        "/laporan/publik/", FORM | {"reporter_contact": "siti@example.org", "updates_consent": "on", "client_id": "p3"}
    )
    assert response.status_code == 200 and "SMS/WhatsApp" in response.content.decode()
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_action_reminders_go_to_the_assignees(world, roster, personas):
    from sinergi.meetings.reminders import reminders_send
    from sinergi.meetings.tests.factories import action_make, decision_make, meeting_make
    from sinergi.people.models import Person, Phone

    boss = personas.coordinator
    action = action_make(boss, decision_make(boss, meeting_make(boss)), due=date(2024, 9, 30))
    officer = personas.field_officer  # panwascam-tenggarong, the responsible agency
    Phone.objects.create(person=Person.objects.create(user=officer), e164="+6281377770000")
    reminders_send(now=datetime(2024, 9, 28, 1, tzinfo=UTC))
    message = OutboundMessage.objects.get(purpose="action_reminder")
    assert message.user == officer and action.title in message.text and "30-09-2024" in message.text
    reminders_send(now=datetime(2024, 9, 28, 5, tzinfo=UTC))  # the same local day: nothing twice
    assert OutboundMessage.objects.filter(purpose="action_reminder").count() == 1


@pytest.mark.django_db
def test_escalations_also_go_out_by_message(world, roster, personas):
    from sinergi.incidents.services import escalate_overdue
    from sinergi.incidents.tests.factories import TENGGARONG_DESA, report_make
    from sinergi.people.models import Person, Phone

    coordinator = personas.coordinator
    Phone.objects.create(person=Person.objects.create(user=coordinator), e164="+6281377771111")
    t0 = datetime(2024, 11, 27, 1, 0, tzinfo=UTC)
    report = report_make(personas.field_officer, area_code=TENGGARONG_DESA, severity=4, now=t0)
    escalate_overdue(now=t0 + timedelta(minutes=31))
    escalate_overdue(now=t0 + timedelta(minutes=62))  # level 2: the regency, where the coordinator sits
    assert coordinator.notifications.filter(title__contains="Eskalasi").exists()
    message = OutboundMessage.objects.get(purpose="escalation", user=coordinator)
    assert message.text.startswith("Sinergi ESKALASI") and f"#{report.pk}" in message.text
    assert message.fallback_at is not None
