"""The founding meeting: the rakor lintas sektoral of 3 September 2024 in Tenggarong Seberang,
its decisions as action items (some done, some overdue) and a follow-up meeting that inherited
the open ones. Idempotent: a second run finds the meeting by its client id and stops.

Its date, place, chair, end (13.00 WITA), the Kapolres and the Dandim who attended, and the grant
figures are the record's (`sinergi/core/data/kukar_record.json`, checked by core/tests/test_demo_record.py);
the rest (agenda wording, action items, progress) is illustrative and kept consistent with the
grants ledger (the security NPHDs were signed on 4 March 2024 and paid in March, before the rakor)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sinergi.accounts.models import Agency
from sinergi.areas.models import Area
from sinergi.core.demo_context import DemoContext
from sinergi.core.record import RECORD
from sinergi.meetings import services
from sinergi.meetings.models import Attendance, Meeting

KUKAR = "64.02"
WITA = ZoneInfo("Asia/Makassar")
FOUNDING = "demo-rakor-2024-09-03"
FOLLOW_UP = "demo-rakor-2024-10-08"
# Kecamatan whose camat reported their vulnerability map on time; the rest are overdue.
MAPPED_ON_TIME = {"64.02.06", "64.02.16", "64.02.02", "64.02.03", "64.02.13", "64.02.14", "64.02.05", "64.02.17"}
REPRESENTED = {"64.02.12": "Sekretaris Camat", "64.02.10": "Kasi Trantib Kecamatan"}


def load(context: DemoContext) -> None:
    if Meeting.objects.filter(client_id=FOUNDING).exists():
        context.say("Meetings: the founding rakor is already there")
        return
    organiser = context.users["kesbangpol.kukar"]
    meeting = _founding_meeting(organiser)
    actions = _decisions_and_actions(meeting, organiser)
    _progress(actions, context.users)
    follow_up = _follow_up(organiser)
    carried = follow_up.agenda.filter(carried_action__isnull=False).count()
    context.say(f"Meetings: rakor 3 Sep 2024 with {len(actions)} action items; follow-up inherited {carried} open ones")


def _kecamatan() -> list[tuple[str, str, str]]:
    rows = Area.objects.filter(parent_id=KUKAR).order_by("code").values_list("code", "name")
    return [(code, name, name.lower().replace(" ", "-")) for code, name in rows]


def _founding_meeting(actor) -> Meeting:
    existing = set(Agency.objects.values_list("code", flat=True))
    rakor = RECORD.rakor
    invitees = [
        services.InviteeSpec(
            agency_code=person["agency"],
            person_name=person["name"],
            person_title=person["title"],
            attendance=Attendance.PRESENT,
        )
        for person in rakor["attendees"]
    ]
    invitees += [
        services.InviteeSpec(agency_code=code, attendance=Attendance.PRESENT)
        for code in ["kpu-kukar", "bawaslu-kukar", "satlinmas-kukar", "pemkab-kukar"]
    ]
    invitees.append(
        services.InviteeSpec(
            agency_code="polres-bontang", attendance=Attendance.REPRESENTED, represented_by="Kabag Ops"
        )
    )
    for code, _, slug in _kecamatan():
        for prefix in ("camat", "polsek"):
            if f"{prefix}-{slug}" not in existing:
                continue
            represented = REPRESENTED.get(code, "") if prefix == "camat" else ""
            invitees.append(
                services.InviteeSpec(
                    agency_code=f"{prefix}-{slug}",
                    attendance=Attendance.REPRESENTED if represented else Attendance.PRESENT,
                    represented_by=represented,
                )
            )
    meeting = services.meeting_create(
        actor=actor,
        kind_slug="rakor-lintas-sektoral",
        title="Rapat Koordinasi Lintas Sektoral Persiapan Pilkada Serentak 2024 Kabupaten Kutai Kartanegara",
        area_code=KUKAR,
        starts_at=datetime.combine(rakor["date"], rakor["starts"], tzinfo=WITA),
        ends_at=datetime.combine(rakor["date"], rakor["ends"], tzinfo=WITA),
        venue="Gedung Putri Karang Melenu, Tenggarong Seberang",
        organiser_code="kesbangpol-kukar",
        chair_name=rakor["chair"],
        chair_title="Sekretaris Daerah Kabupaten Kutai Kartanegara",
        on_behalf_of="Bupati Kutai Kartanegara",
        invitees=invitees,
        agenda=[
            "Pembukaan dan arahan Sekda mewakili Bupati",
            "Paparan kesiapan tahapan Pilkada oleh KPU Kukar",
            "Paparan potensi kerawanan oleh Bawaslu Kukar",
            "Paparan rencana pengamanan TPS oleh Polres Kukar, Polres Bontang dan Kodim 0906",
            "Dukungan hibah Pilkada dari APBD Kukar (Rp 103,66 miliar)",
            "Kesimpulan dan rencana tindak lanjut",
        ],
        client_id=FOUNDING,
    )
    services.meeting_update(
        actor=actor,
        meeting=meeting,
        minute_taker="Analis Kesbangpol Kukar",
        minutes=(
            "Sekda Sunggono, mewakili Bupati, menegaskan bahwa Pilkada 2024 harus berjalan aman, tertib dan "
            "partisipatif. KPU Kukar memaparkan tahapan menuju pemungutan suara 27 November 2024 di 1.447 TPS. "
            "Bawaslu Kukar memaparkan potensi kerawanan, antara lain politik uang, netralitas ASN dan kepala desa, "
            "serta TPS di lokasi rawan bencana. Polres Kukar dan Polres Bontang (Muara Badak, Marang Kayu) serta "
            "Kodim 0906 menyampaikan rencana pengamanan. Pemkab menyampaikan dukungan hibah melalui APBD sebesar "
            "Rp 103,66 miliar kepada KPU, Bawaslu dan pengamanan TNI/Polri."
        ),
    )
    return meeting


def _decisions_and_actions(meeting: Meeting, actor) -> dict[str, object]:
    actions: dict[str, object] = {}

    def decision(text: str, public: bool):
        return services.decision_add(actor=actor, meeting=meeting, text=text, is_public=public)

    def action(key, d, title, agency, area, due, person=""):
        actions[key] = services.action_create(
            actor=actor,
            decision=d,
            title=title,
            agency_code=agency,
            area_code=area,
            due_date=due,
            person=person,
            client_id=f"demo-action-{key}",
        )

    d1 = decision(
        "Camat, lurah dan kepala desa memetakan potensi kerawanan Pilkada di wilayah masing-masing dan "
        "melaporkannya kepada Kesbangpol paling lambat 30 September 2024.",
        True,
    )
    for code, name, slug in _kecamatan():
        action(
            f"map-{code}",
            d1,
            f"Peta potensi kerawanan Kecamatan {name} (bersama lurah dan kepala desa)",
            f"camat-{slug}",
            code,
            date(2024, 9, 30),
            person=f"Camat {name}",
        )
    d2 = decision("Seluruh pihak mendorong partisipasi pemilih menuju target nasional 79,5 %.", True)
    action(
        "turnout-kpu",
        d2,
        "Sosialisasi pemilih di 20 kecamatan, prioritas wilayah partisipasi rendah 2020",
        "kpu-kukar",
        KUKAR,
        date(2024, 11, 20),
        person="Divisi Sosdiklih KPU Kukar",
    )
    action(
        "turnout-pemkab",
        d2,
        "Surat edaran Bupati kepada camat, lurah dan kades untuk menggerakkan pemilih",
        "kesbangpol-kukar",
        KUKAR,
        date(2024, 10, 15),
    )
    d3 = decision("Setiap TPS diamankan sesuai pola pengamanan Polri; TPS rawan mendapat perhatian khusus.", True)
    action(
        "secure-polres",
        d3,
        "Rencana pengamanan 1.447 TPS dan pembagian personel per pola TPS",
        "polres-kukar",
        KUKAR,
        date(2024, 10, 31),
        person="Kabag Ops Polres Kukar",
    )
    action(
        "secure-bontang",
        d3,
        "Rencana pengamanan TPS Kecamatan Muara Badak dan Marang Kayu",
        "polres-bontang",
        "64.02.05",
        date(2024, 10, 31),
        person="Kabag Ops Polres Bontang",
    )
    action(
        "secure-kodim",
        d3,
        "Dukungan personel TNI (BKO) untuk TPS sangat rawan",
        "kodim-0906",
        KUKAR,
        date(2024, 11, 10),
        person="Pasi Ops Kodim 0906",
    )
    # The security NPHDs were signed on 4 March 2024 and paid in March: what was left for the rakor
    # was accounting for them (the ledger's spending reports and refunds).
    d4 = decision(
        "Hibah pengamanan TNI/Polri yang NPHD-nya ditandatangani 4 Maret 2024 dan telah disalurkan sekaligus "
        "dipertanggungjawabkan: laporan penggunaan hibah kepada Bupati dan sisa dana dikembalikan ke kas daerah.",
        False,
    )
    action(
        "grant-polres",
        d4,
        "Laporan penggunaan hibah pengamanan Polres Kukar (NPHD 4 Maret 2024, disalurkan 20 Maret 2024)",
        "pemkab-kukar",
        KUKAR,
        date(2024, 12, 31),
        person="BPKAD",
    )
    action(
        "grant-kodim",
        d4,
        "Laporan penggunaan hibah pengamanan Kodim 0906 (NPHD 4 Maret 2024, disalurkan 21 Maret 2024)",
        "pemkab-kukar",
        KUKAR,
        date(2024, 12, 31),
        person="BPKAD",
    )
    return actions


def _progress(actions: dict, users: dict) -> None:
    done_by = users["kesbangpol.kukar"]
    for key, action in actions.items():
        if key.startswith("map-") and key[4:] in MAPPED_ON_TIME:
            services.action_status_update(
                actor=done_by,
                action=action,
                status="done",
                note="Peta kerawanan diterima Kesbangpol.",
                client_id=f"demo-note-{key}",
            )
    services.action_status_update(
        actor=users["polres.kukar"],
        action=actions["secure-polres"],
        status="done",
        note="Renpam TPS ditetapkan.",
        client_id="demo-note-secure-polres",
    )
    services.action_status_update(
        actor=users["polres.bontang"],
        action=actions["secure-bontang"],
        status="done",
        note="Renpam Muara Badak dan Marang Kayu ditetapkan.",
        client_id="demo-note-secure-bontang",
    )
    services.action_status_update(
        actor=users["sekda.kukar"],
        action=actions["grant-polres"],
        status="done",
        note="Laporan penggunaan hibah diterima (LPJ-OPS/MB/11/2024).",
        client_id="demo-note-grant-polres",
    )
    services.action_status_update(
        actor=done_by,
        action=actions["turnout-kpu"],
        status="in_progress",
        note="Sosialisasi berjalan di 12 dari 20 kecamatan.",
        client_id="demo-note-turnout-kpu",
    )
    services.action_status_update(
        actor=users["sekda.kukar"],
        action=actions["grant-kodim"],
        status="done",
        note="Laporan penggunaan hibah diterima (LPJ-KODIM0906/12/2024); sisa Rp 20 juta disetor ke kas daerah.",
        client_id="demo-note-grant-kodim",
    )


def _follow_up(actor) -> Meeting:
    return services.meeting_create(
        actor=actor,
        kind_slug="rapat-evaluasi",
        title="Rapat Evaluasi Tindak Lanjut Rakor Lintas Sektoral Pilkada 2024",
        area_code=KUKAR,
        starts_at=datetime(2024, 10, 8, 9, 0, tzinfo=WITA),
        ends_at=datetime(2024, 10, 8, 11, 0, tzinfo=WITA),
        venue="Ruang Rapat Badan Kesbangpol, Tenggarong",
        organiser_code="kesbangpol-kukar",
        chair_name="Kepala Badan Kesbangpol Kutai Kartanegara",
        invitees=[
            services.InviteeSpec(agency_code=c) for c in ["polres-kukar", "kodim-0906", "kpu-kukar", "bawaslu-kukar"]
        ],
        agenda=["Evaluasi tindak lanjut rakor 3 September 2024"],
        client_id=FOLLOW_UP,
    )
