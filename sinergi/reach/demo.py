"""The rehearsal (gladi) half done in Kukar, on top of the people demo's roster (which activates about
half and logs most of those in): test reports by SMS, WhatsApp, Telegram and the web; one test
broadcast from the Kesbangpol coordinator to every KPPS of Kecamatan Tenggarong with receipts
(delivered, failed, sent, still queued for the fake gateway) and "OK <code>" replies threaded to it;
a few contact-log entries on the call list; a regency-wide broadcast waiting for a second approver;
and the missing-TPS alerts of one voting-day checkpoint sent to the KPPS chairs and PPS by SMS.
Idempotent: a second run finds the test broadcast and does nothing."""

from django.db import transaction
from django.utils import timezone

from sinergi.areas.models import Election
from sinergi.core.demo_context import DemoContext
from sinergi.core.errors import DomainError
from sinergi.messaging.delivery import apply_status
from sinergi.messaging.inbound import receive
from sinergi.messaging.models import OutboundMessage, Status, TelegramLink
from sinergi.people.models import Phone
from sinergi.reach import selectors, services
from sinergi.reach.models import Broadcast, ContactLog

TENGGARONG = "64.02.06"
KUKAR = "64.02"
TEST_CLIENT_ID = "demo:gladi-tenggarong"


def load(context: DemoContext) -> None:
    if Broadcast.objects.filter(client_id=TEST_CLIENT_ID).exists():
        context.say("Reach: rehearsal already loaded")
        return
    coordinator = context.users.get("kesbangpol.kukar")
    if coordinator is None or not selectors.field_staff(TENGGARONG).exists():
        context.say("Reach: no field roster in Tenggarong; rehearsal skipped")
        return
    broadcast = _test_broadcast(context, coordinator)
    replies = _receipts_and_replies(broadcast)
    tested = _test_reports()
    calls = _contact_log(coordinator)
    pending = _pending_broadcast(coordinator)
    alerts = _missing_tps_alerts()
    context.say(
        f"Reach: test broadcast {broadcast.code} to {broadcast.recipient_count} KPPS in Tenggarong "
        f"({replies} replies), {tested} test reports, {calls} calls logged, "
        f"{'a' if pending else 'no'} broadcast waiting for approval, {alerts} missing-TPS alerts by SMS"
    )


def _test_broadcast(context: DemoContext, coordinator) -> Broadcast:
    broadcast, _ = services.broadcast_create(
        actor=coordinator,
        area_code=TENGGARONG,
        roles=[],
        agency_kinds=["kpps"],
        text="Gladi Sinergi: pastikan nomor ini aktif untuk hari pemungutan suara.",
        is_test=True,
        client_id=TEST_CLIENT_ID,
    )
    admin = context.users.get("admin")
    if broadcast.state == "pending" and admin is not None:  # a larger roster than the approval size
        broadcast = services.broadcast_approve(actor=admin, broadcast_id=broadcast.pk)
    return broadcast


def _receipts_and_replies(broadcast: Broadcast) -> int:
    """Of ten messages: seven delivered, one failed (it falls back to the next channel), one sent, one
    left queued for the worker and the fake gateway; every second delivered recipient answers OK."""
    messages = list(OutboundMessage.objects.filter(batch=broadcast.batch).order_by("pk"))
    now = timezone.now()
    replies = 0
    for n, message in enumerate(messages):
        step = n % 10
        if step == 9:
            continue
        with transaction.atomic():
            apply_status(message, Status.SENT, "", now, source="demo")
            if step < 7:
                apply_status(message, Status.DELIVERED, "", now, source="demo")
            elif step == 7:
                apply_status(message, Status.FAILED, "nomor tidak aktif (gateway palsu)", now, source="demo")
        if step < 7 and step % 2 == 0:
            receive(
                channel=message.channel,
                provider=message.provider,
                address=message.address,
                text=f"OK {broadcast.code}",
                provider_message_id=f"demo-reply-{message.pk}",
            )
            replies += 1
    return replies


def _test_reports() -> int:
    """Test reports from Tenggarong's TPS supervisors: GLADI by WhatsApp and Telegram, the web button."""
    staff = list(selectors.field_staff(TENGGARONG).filter(person__position__icontains="pengawas").order_by("pk")[:60])
    count = 0
    for n, user in enumerate(staff):
        phone = Phone.objects.filter(person__user=user).values_list("e164", flat=True).first()
        step = n % 4
        if step == 0 and phone:
            receive(
                channel="whatsapp",
                provider="whatsapp",
                address=phone,
                text="GLADI",
                provider_message_id=f"demo-wa-{user.pk}",
            )
        elif step == 1:
            chat = f"70{user.pk:08d}"
            TelegramLink.objects.get_or_create(user=user, defaults={"chat_id": chat})
            receive(
                channel="telegram",
                provider="telegram",
                address=chat,
                text="GLADI",
                provider_message_id=f"demo-tg-{user.pk}",
            )
        elif step == 2:
            services.test_report_record(user=user, channel="web", client_id=f"demo-web-{user.pk}")
        else:
            continue  # a quarter stay silent: they are on the call list
        count += 1
    return count


def _contact_log(coordinator) -> int:
    outcomes = ["no_answer", "wrong_number", "called", "no_answer", "reached"]
    people = list(selectors.unreachable(TENGGARONG).values_list("pk", flat=True)[: len(outcomes)])
    for pk, outcome in zip(people, outcomes, strict=False):
        services.contact_record(
            actor=coordinator,
            area_code=TENGGARONG,
            person_id=pk,
            outcome=outcome,
            note={"wrong_number": "nomor milik kerabat", "reached": "HP rusak, pakai HP istri"}.get(outcome, ""),
            client_id=f"demo-call-{pk}-{outcome}",
        )
    return ContactLog.objects.count()


def _pending_broadcast(coordinator) -> bool:
    try:
        broadcast, _ = services.broadcast_create(
            actor=coordinator,
            area_code=KUKAR,
            roles=[],
            agency_kinds=["kpps"],
            text="Bimtek ulang aplikasi Sinergi untuk seluruh Ketua KPPS Kukar, Sabtu pukul 09.00 di kantor PPK.",
            client_id="demo:bimtek-kukar",
        )
    except DomainError:
        return False
    return broadcast.state == "pending"


def _missing_tps_alerts() -> int:
    """The 13.00 checkpoint's missing-TPS alerts, as the worker sends them after the grace period."""
    from sinergi.reach.models import AlertKind, AlertSent
    from sinergi.turnout.alerts import missing_alerts_send
    from sinergi.turnout.models import Checkpoint

    election = Election.objects.filter(slug="pilbup-kukar-2024").first()
    checkpoint = Checkpoint.objects.filter(election=election, code="13").first() if election else None
    if election is None or checkpoint is None:
        return 0
    missing_alerts_send(election=election, checkpoint=checkpoint, now=timezone.now())
    return AlertSent.objects.filter(kind=AlertKind.MISSING_TPS, message__isnull=False).count()
