"""The missing-TPS alert does set-based work: its query count does not grow with the kecamatan, it writes
the same notices and messages as the per-row path it replaced (`notify` per kecamatan, `_deliver` per
recipient), and a re-run at the same checkpoint sends nothing twice."""

import datetime as dt
from functools import partial

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinergi.accounts.models import Agency, Membership, Notification, User
from sinergi.accounts.notifications import agency_users, notify
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure
from sinergi.areas.codes import lineage_of
from sinergi.areas.models import Area, Election, Level
from sinergi.messaging.models import OutboundMessage
from sinergi.people.models import Person
from sinergi.reach import routing
from sinergi.reach.models import AlertKind, AlertSent
from sinergi.reach.tests.factories import person_make
from sinergi.turnout.alerts import CONTACT_KINDS, NOTICE_ROLES, _missing_title, missing_alerts_send
from sinergi.turnout.models import Checkpoint, Slot
from sinergi.turnout.setup import election_prepare
from testkit.builders import area_make, polling_station_make, user_make

pytestmark = pytest.mark.django_db

NIGHT = dt.datetime(2024, 11, 27, 12, 0, tzinfo=dt.UTC)  # 20.00 WITA: every checkpoint's grace passed


@pytest.fixture(autouse=True)
def channels_on(settings):
    settings.SINERGI_SMS_PROVIDER = "android"
    settings.SINERGI_ANDROID_SMS_URL = "http://127.0.0.1:9/android"
    settings.SINERGI_WHATSAPP_TOKEN = "test-token"
    settings.SINERGI_WHATSAPP_PHONE_NUMBER_ID = "12345"
    settings.SINERGI_TELEGRAM_BOT_TOKEN = ""
    settings.SINERGI_MESSAGING_CHANNEL_ORDER = ["sms", "whatsapp", "telegram", "email"]


def region_make(province: str, kecamatan: int) -> Checkpoint:
    """A regency of `kecamatan` kecamatan, one desa and two TPS each; a KPU office over the regency, a PPK
    per kecamatan (an operator each), a PPS member per desa and a KPPS chair per TPS (with phones); an
    election over the regency prepared, half of the TPS reported at 11.00. Returns that checkpoint."""
    regency = f"{province}.01"
    area_make(province, f"Provinsi {province}", Level.PROVINCE)
    area_make(regency, f"Kabupaten {regency}", Level.REGENCY)
    agency_ensure(code=f"kpu-{province}", name="KPU", kind=AgencyKind.KPU, area_code=regency)
    user_make(f"kpu-{province}", Role.KPU_OPERATOR, regency, f"kpu-{province}")
    serial = 0
    for k in range(1, kecamatan + 1):
        code = f"{regency}.{k:02d}"
        desa = f"{code}.2001"
        area_make(code, f"Kecamatan {k}", Level.DISTRICT)
        area_make(desa, f"Desa {k}", Level.VILLAGE)
        ppk = agency_ensure(code=f"ppk-{code.replace('.', '')}", name="PPK", kind=AgencyKind.PPK, area_code=code)
        user_make(f"ppk-{code}", Role.KPU_OPERATOR, code, ppk.code)
        pps = agency_ensure(code=f"pps-{desa.replace('.', '')}", name="PPS", kind=AgencyKind.PPS, area_code=desa)
        serial += 1
        person_make(f"pps-{desa}", Role.KPU_OPERATOR, pps, desa, f"+628129{province}{serial:04d}")
        for number in (1, 2):
            tps = polling_station_make(desa, number).code
            kpps = agency_ensure(code=f"kpps-{tps.replace('.', '')}", name="KPPS", kind=AgencyKind.KPPS, area_code=desa)
            serial += 1
            person_make(f"kpps-{tps}", Role.KPU_OPERATOR, kpps, desa, f"+628129{province}{serial:04d}", tps=tps)
    election = Election.objects.create(
        slug=f"pilbup-{province}",
        name="Pilbup",
        kind="pilbup",
        region_id=regency,
        voting_date="2024-11-27",
        time_zone="Asia/Makassar",
    )
    election.refresh_from_db()
    election_prepare(election)
    checkpoint = Checkpoint.objects.get(election=election, code="11")
    Slot.objects.filter(checkpoint=checkpoint, tps__number=1).update(voters=100)
    return checkpoint


def queries_of(checkpoint: Checkpoint) -> int:
    with CaptureQueriesContext(connection) as captured:
        missing_alerts_send(election=checkpoint.election, checkpoint=checkpoint, now=NIGHT)
    return len(captured)


def test_the_query_count_does_not_grow_with_the_kecamatan(world):
    small, large = region_make("71", 3), region_make("72", 30)
    assert queries_of(small) == queries_of(large) == 29
    assert Notification.objects.filter(url__contains="pilbup-72").count() == 30 * 2  # its PPK and the KPU
    assert AlertSent.objects.filter(subject__startswith="pilbup-72").count() == 30 * 2  # a chair and a PPS each


def test_the_messages_go_out_in_chunks_of_bounded_size(world, monkeypatch):
    monkeypatch.setattr(routing, "CHUNK", 4)
    checkpoint = region_make("71", 10)
    missing_alerts_send(election=checkpoint.election, checkpoint=checkpoint, now=NIGHT)
    chairs = AlertSent.objects.filter(subject__endswith=".002").values_list("area_code", flat=True)
    assert sorted(chairs) == [f"71.01.{k:02d}.2001.002" for k in range(1, 11)]  # every chair over 3 chunks
    pps = AlertSent.objects.filter(area_code__endswith=".2001").count()
    assert pps == 10 and OutboundMessage.objects.filter(purpose="missing_tps").count() == 20


def old_path(checkpoint: Checkpoint) -> tuple[set, set]:
    """What the per-row path wrote (notices: reader, title, address; alerts: recipient, subject, area,
    text, channel, address, refusal), run inside a savepoint that is rolled back."""
    election = checkpoint.election
    missing: dict[str, tuple[str, str]] = {}
    for tps, desa, name in Slot.objects.filter(checkpoint=checkpoint, voters__isnull=True).values_list(
        "tps_id", "tps__desa_id", "tps__desa__name"
    ):
        missing[tps] = (desa, name)
    per_kecamatan: dict[str, int] = {}
    for tps in missing:
        per_kecamatan[tps[:8]] = per_kecamatan.get(tps[:8], 0) + 1
    with transaction.atomic():
        for code, count in sorted(per_kecamatan.items()):
            agencies = Agency.objects.filter(kind__in=CONTACT_KINDS, jurisdictions__area_id__in=lineage_of(code))
            name = Area.objects.get(code=code).name
            url = f"/partisipasi/{code}/belum-lapor/?pemilihan={election.slug}&titik={checkpoint.code}"
            users = agency_users(agencies.values_list("pk", flat=True), NOTICE_ROLES)
            notify(
                users=users, title=partial(_missing_title, count, name, checkpoint.label), url=url, email=False
            )
        notices = set(Notification.objects.values_list("user_id", "title", "url"))
        subject = f"{election.slug}:{checkpoint.code}"
        context = {"what": checkpoint.label, "time": checkpoint.local_time.strftime("%H.%M")}
        chairs = Person.objects.filter(
            tps_id__in=list(missing), user__is_active=True, user__memberships__agency__kind=AgencyKind.KPPS
        ).distinct()
        for person in chairs.select_related("user"):
            tps = str(person.tps_id)
            desa, name = missing[tps]
            routing._deliver(
                kind=AlertKind.MISSING_TPS,
                subject=f"{subject}:{tps}",
                template="missing_tps_alert",
                context={"tps": tps, "desa": name, **context},
                purpose="missing_tps",
                user=person.user,
                area_code=tps,
                fallback_after=routing.fallback_delay(),
            )
        desas = {desa: name for desa, name in missing.values()}
        pps = Membership.objects.filter(area_id__in=list(desas), agency__kind=AgencyKind.PPS, user__is_active=True)
        for membership in pps.select_related("user"):
            numbers = sorted(t.rsplit(".", 1)[-1] for t in missing if missing[t][0] == membership.area_id)
            routing._deliver(
                kind=AlertKind.MISSING_TPS,
                subject=f"{subject}:{membership.area_id}",
                template="missing_tps_alert",
                context={"tps": ", ".join(numbers), "desa": desas[membership.area_id], **context},
                purpose="missing_tps",
                user=membership.user,
                area_code=membership.area_id,
                fallback_after=routing.fallback_delay(),
            )
        alerts = written_alerts()
        transaction.set_rollback(True)
    return notices, alerts


def written_alerts() -> set:
    return set(
        AlertSent.objects.values_list(
            "recipient",
            "subject",
            "area_code",
            "message__text",
            "message__channel",
            "address",
            "refused",
            "message__area_code",
            "message__fallback_done",
        )
    )


def test_the_same_notices_and_messages_as_the_per_row_path(world):
    checkpoint = region_make("71", 3)
    english = user_make("ppk-en", Role.COORDINATOR, "71.01.02", "ppk-710102")
    english.preferred_language = "en"
    english.save()
    Person.objects.filter(tps_id="71.01.01.2001.002").update(opted_out_at=timezone.now())  # refused: BERHENTI
    Person.objects.get(tps_id="71.01.02.2001.002").phones.all().delete()  # refused: no channel
    User.objects.filter(username="pps-71.01.03.2001").update(is_active=False)  # no message
    notices, alerts = old_path(checkpoint)
    assert any(title.startswith("1 TPS in") for _u, title, _a in notices)  # the English reader's own language
    assert {refused for *_x, refused, _a, _f in alerts} > {""}
    missing_alerts_send(election=checkpoint.election, checkpoint=checkpoint, now=NIGHT)
    assert set(Notification.objects.values_list("user_id", "title", "url")) == notices
    assert written_alerts() == alerts


def test_a_rerun_sends_nothing_twice_and_a_new_reader_gets_only_their_notice(world):
    checkpoint = region_make("71", 3)
    assert missing_alerts_send(election=checkpoint.election, checkpoint=checkpoint, now=NIGHT) == 3
    written = (Notification.objects.count(), OutboundMessage.objects.count(), AlertSent.objects.count())
    assert written == (6, 6, 6)
    missing_alerts_send(election=checkpoint.election, checkpoint=checkpoint, now=NIGHT)
    assert (Notification.objects.count(), OutboundMessage.objects.count(), AlertSent.objects.count()) == written
    late = user_make("ppk-late", Role.KPU_OPERATOR, "71.01.02", "ppk-710102")
    missing_alerts_send(election=checkpoint.election, checkpoint=checkpoint, now=NIGHT)
    assert Notification.objects.count() == 7 and Notification.objects.filter(user=late).count() == 1
    assert OutboundMessage.objects.count() == 6
    # The next checkpoint is another alert: everyone hears of it again.
    later = Checkpoint.objects.get(election=checkpoint.election, code="13")
    missing_alerts_send(election=checkpoint.election, checkpoint=later, now=NIGHT)
    assert OutboundMessage.objects.count() == 6 + 6 + 3  # every TPS missing at 13.00: 6 chairs, 3 PPS
