"""Demo reports across Kukar through every channel, some triaged, some escalated, one duplicate pair.

Idempotent: every report carries a fixed client id (SMS a fixed gateway message id), and
transitions are applied only to reports still in the state they start from.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from sinergi.areas.models import PollingStation
from sinergi.core.demo_context import DemoContext
from sinergi.core.models import Channel
from sinergi.core.sms import sms_receive
from sinergi.incidents.models import Report
from sinergi.incidents.services import Intake, client_key, escalate_overdue, report_create, report_transition

TENGGARONG, TENGGARONG_SEBERANG, MUARA_BADAK, LOA_KULU, SAMBOJA, KOTA_BANGUN, MARANG_KAYU = (
    "64.02.06",
    "64.02.16",
    "64.02.05",
    "64.02.02",
    "64.02.13",
    "64.02.08",
    "64.02.17",
)


@dataclass(frozen=True)
class Spec:
    key: str
    channel: str
    user: str | None
    category: str
    kecamatan: str
    tps_index: int | None  # None: report on the desa of that TPS
    severity: int
    hours_ago: float
    text: str
    contact: str = ""


SPECS = [
    Spec(
        "web-1",
        Channel.WEB,
        "panwascam.tenggarong",
        "intimidasi-kekerasan",
        TENGGARONG,
        4,
        3,
        1.0,
        "Sekelompok orang tak dikenal mendatangi rumah ketua KPPS dan meminta TPS dipindah.",
    ),
    Spec(
        "web-2",
        Channel.WEB,
        "panwascam.tenggarong",
        "politik-uang",
        TENGGARONG,
        10,
        3,
        3.0,
        "Tim sukses membagikan amplop berisi uang Rp100.000 kepada warga di dekat TPS.",
    ),
    Spec(
        "web-3",
        Channel.WEB,
        "kesbangpol.kukar",
        "sara-hoaks",
        KOTA_BANGUN,
        2,
        2,
        5.0,
        "Beredar pesan berantai di grup WhatsApp desa berisi hoaks bahwa surat suara sudah dicoblos.",
    ),
    Spec(
        "web-4",
        Channel.WEB,
        "kesbangpol.kukar",
        "netralitas",
        SAMBOJA,
        None,
        2,
        20.0,
        "Kepala desa ikut berkampanye untuk salah satu paslon dalam acara resmi desa.",
    ),
    Spec(
        "api-1",
        Channel.API,
        "kpu.kukar",
        "logistik",
        LOA_KULU,
        3,
        3,
        10.0,
        "Kotak suara dan bilik untuk TPS ini belum tiba sampai H-1 sore.",
    ),
    Spec(
        "api-2",
        Channel.API,
        "kpu.kukar",
        "gangguan-listrik",
        TENGGARONG_SEBERANG,
        6,
        2,
        0.3,
        "Listrik padam di lokasi TPS sejak pagi, genset belum tersedia.",
    ),
    Spec(
        "public-1",
        Channel.PUBLIC,
        None,
        "politik-uang",
        TENGGARONG_SEBERANG,
        1,
        2,
        2.0,
        "Saya melihat orang membagikan sembako dan uang sambil menyebut nomor paslon.",
        "0812 4455 6677",
    ),
    Spec(
        "public-2",
        Channel.PUBLIC,
        None,
        "politik-uang",
        TENGGARONG_SEBERANG,
        1,
        2,
        1.5,
        "Ada pembagian sembako dan uang sambil menyebut nomor paslon di dekat TPS.",
        "warga.tgs@example.id",
    ),
    Spec(
        "public-3",
        Channel.PUBLIC,
        None,
        "bencana",
        KOTA_BANGUN,
        None,
        3,
        0.2,
        "Air sungai naik, jalan ke balai desa tempat TPS tergenang setinggi lutut.",
        "0813 2020 3030",
    ),
    Spec(
        "web-5",
        Channel.WEB,
        "kesbangpol.kukar",
        "gangguan-pemungutan",
        MARANG_KAYU,
        0,
        4,
        3.0,
        "Sekelompok warga menghalangi pemilih masuk ke TPS dan merusak papan nama TPS.",
    ),
]
SMS = [
    (
        "demo-sms-1",
        "+62 811 5500 1234",
        "LAPOR {tps} kekerasan ada keributan antar pendukung di depan TPS",
        MUARA_BADAK,
        2,
    ),
    (
        "demo-sms-2",
        "0852 4000 7788",
        "lapor {tps}  INTERNET sinyal hilang, KPPS tidak bisa kirim foto C hasil",
        SAMBOJA,
        5,
    ),
]


def _tps(kecamatan: str, index: int) -> PollingStation:
    return PollingStation.objects.within(kecamatan).order_by("code")[index]


def _file(spec: Spec, context: DemoContext) -> Report:
    # The times follow the clock, so a second run would send another body under the same client id.
    actor = context.users.get(spec.user) if spec.user else None
    stored = Report.objects.filter(client_id=client_key(f"demo:{spec.key}", spec.channel, actor)).first()
    if stored is not None:
        return stored
    station = _tps(spec.kecamatan, spec.tps_index or 0)
    area = station.code if spec.tps_index is not None else station.desa_id
    intake = Intake(
        category=spec.category,
        area_code=area,
        description=spec.text,
        severity=spec.severity,
        occurred_at=timezone.now() - timedelta(hours=spec.hours_ago + 0.5),
        reporter_name="Warga (demo)" if spec.user is None else "",
        reporter_contact=spec.contact,
        client_id=f"demo:{spec.key}",
    )
    now = timezone.now() - timedelta(hours=spec.hours_ago)
    report, _ = report_create(intake=intake, channel=spec.channel, actor=actor, now=now)
    return report


def _once(report: Report, state: str, **kwargs) -> None:
    report.refresh_from_db()
    if report.state == state:
        report_transition(report_id=report.pk, **kwargs)


def load(context: DemoContext) -> None:
    reports = {spec.key: _file(spec, context) for spec in SPECS}
    for message_id, sender, text, kecamatan, index in SMS:
        sms_receive(
            sender=sender, text=text.format(tps=_tps(kecamatan, index).code.replace(".", "")), message_id=message_id
        )
    users = context.users
    _once(
        reports["web-1"],
        "baru",
        actor=users["polres.kukar"],
        action="verify",
        note="Dicek Bhabinkamtibmas, benar terjadi.",
    )
    _once(
        reports["web-1"],
        "diverifikasi",
        actor=users["polres.kukar"],
        action="assign",
        note="Patroli ditambah di TPS ini.",
    )
    _once(
        reports["web-3"], "baru", actor=users["bawaslu.kukar"], action="verify", note="Tangkapan layar sudah diterima."
    )
    _once(
        reports["web-4"],
        "baru",
        actor=users["bawaslu.kukar"],
        action="assign",
        note="Panwascam Samboja memanggil kades.",
    )
    _once(
        reports["public-2"],
        "baru",
        actor=users["bawaslu.kukar"],
        action="duplicate",
        duplicate_of=reports["public-1"].pk,
    )
    _once(
        reports["web-5"], "baru", actor=users["polres.bontang"], action="verify", note="Polsek Marang Kayu ke lokasi."
    )
    # Reports nobody acknowledged climb the tree: the worker would have run these checks.
    now = timezone.now()
    escalated = sum(escalate_overdue(now=now - timedelta(hours=h)) for h in (12, 8, 4, 0))
    open_count = Report.objects.filter(client_id__startswith="demo:").count() + len(SMS)
    context.say(f"Reports: {open_count} demo reports (web, API, SMS, public), {escalated} escalation step(s) now")
