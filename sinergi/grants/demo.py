"""Demo grants of Kukar: the Pilkada 2024 NPHDs and the 2025 re-vote (PSU) NPHDs (DOMAIN §4).

Amounts, the security NPHD date (4 Mar 2024), the PSU date (19 Mar 2025) and KPU's 40 % paid in
2023 are as reported. NPHD numbers, the KPU/Bawaslu signing date (10 Nov 2023), transfer dates,
spending and refunds are illustrative, chosen to show on-time, late and settled cases.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sinergi.core.demo_context import DemoContext
from sinergi.core.models import Channel
from sinergi.grants import services
from sinergi.grants.alerts import alerts_send
from sinergi.grants.models import Agreement, BudgetFigure, DisbursementPolicy, PolicyStep, Ratification
from sinergi.grants.policies import policies_load

M = Decimal(1_000_000)
D = dt.date
PILKADA, PSU = "pilbup-kukar-2024", "psu-kukar-2025"
STAGED, LUMP = "41-2020-bertahap", "41-2020-sekaligus"
ILLUSTRATIVE = "Contoh demo: tanggal resmi belum diverifikasi."

# (election, recipient, number, signed, amount in juta, policy, budget years in juta)
AGREEMENTS = [
    (
        PILKADA,
        "kpu-kukar",
        "027/NPHD/KPU-KK/XI/2023",
        D(2023, 11, 10),
        "76055",
        STAGED,
        [(2023, "30422"), (2024, "45633")],
    ),
    (
        PILKADA,
        "bawaslu-kukar",
        "028/NPHD/BWS-KK/XI/2023",
        D(2023, 11, 10),
        "14033",
        STAGED,
        [(2023, "5613.2"), (2024, "8419.8")],
    ),
    (PILKADA, "polres-kukar", "900/041/NPHD-PAM/III/2024", D(2024, 3, 4), "8100", LUMP, None),
    (PILKADA, "kodim-0906", "900/042/NPHD-PAM/III/2024", D(2024, 3, 4), "2000", LUMP, None),
    (PILKADA, "polres-bontang", "900/043/NPHD-PAM/III/2024", D(2024, 3, 4), "1200", LUMP, None),
    (PILKADA, "kodim-0908", "900/044/NPHD-PAM/III/2024", D(2024, 3, 4), "624", LUMP, None),
    (PSU, "kpu-kukar", "011/NPHD-PSU/KPU-KK/III/2025", D(2025, 3, 19), "33700", LUMP, None),
    (PSU, "bawaslu-kukar", "012/NPHD-PSU/BWS-KK/III/2025", D(2025, 3, 19), "10800", LUMP, None),
    (PSU, "polres-kukar", "013/NPHD-PSU/PAM/III/2025", D(2025, 3, 19), "12100", LUMP, None),
    (PSU, "kodim-0906", "014/NPHD-PSU/PAM/III/2025", D(2025, 3, 19), "3600", LUMP, None),
    (PSU, "polres-bontang", "015/NPHD-PSU/PAM/III/2025", D(2025, 3, 19), "1200", LUMP, None),
    (PSU, "kodim-0908", "016/NPHD-PSU/PAM/III/2025", D(2025, 3, 19), "850", LUMP, None),
]

# Who posts: the finance office disburses; each recipient reports its own spending and refunds.
POSTER = {
    "kpu-kukar": "kpu.kukar",
    "bawaslu-kukar": "bawaslu.kukar",
    "polres-kukar": "polres.kukar",
    "polres-bontang": "polres.bontang",
    "kodim-0906": "kodim.0906",
    "kodim-0908": "admin",  # no demo user for Kodim 0908; the national admin enters its reports
}

# (election, recipient, kind, date, amount in juta, reference, category)
ENTRIES = [
    (PILKADA, "kpu-kukar", "disbursement", D(2023, 11, 28), "30422", "SP2D 12877/LS/2023", ""),
    (PILKADA, "kpu-kukar", "disbursement", D(2024, 6, 19), "45633", "SP2D 05213/LS/2024", ""),
    (PILKADA, "kpu-kukar", "spending", D(2024, 5, 31), "9850", "LPJ-KPU/05/2024", "honorarium"),
    (PILKADA, "kpu-kukar", "spending", D(2024, 8, 30), "14320", "LPJ-KPU/08/2024", "honorarium"),
    (PILKADA, "kpu-kukar", "spending", D(2024, 9, 30), "17460", "LPJ-KPU/09/2024", "logistik"),
    (PILKADA, "kpu-kukar", "spending", D(2024, 10, 31), "6125.5", "LPJ-KPU/10/2024", "sosialisasi"),
    (PILKADA, "kpu-kukar", "spending", D(2024, 12, 20), "19870.25", "LPJ-KPU/12/2024", "operasional"),
    (PILKADA, "bawaslu-kukar", "disbursement", D(2023, 12, 5), "5613.2", "SP2D 13050/LS/2023", ""),
    (PILKADA, "bawaslu-kukar", "disbursement", D(2024, 7, 10), "8419.8", "SP2D 06102/LS/2024", ""),
    (PILKADA, "bawaslu-kukar", "spending", D(2024, 6, 28), "4210", "LPJ-BWS/06/2024", "honorarium"),
    (PILKADA, "bawaslu-kukar", "spending", D(2024, 10, 31), "6480.75", "LPJ-BWS/10/2024", "honorarium"),
    (PILKADA, "bawaslu-kukar", "spending", D(2024, 12, 18), "2350", "LPJ-BWS/12/2024", "operasional"),
    (PILKADA, "polres-kukar", "disbursement", D(2024, 3, 20), "8100", "SP2D 02311/LS/2024", ""),
    (PILKADA, "polres-kukar", "spending", D(2024, 11, 30), "79.5", "LPJ-OPS/MB/11/2024", "pengamanan"),
    (PILKADA, "polres-kukar", "spending", D(2024, 11, 30), "7950", "LPJ-OPS/MB/11/2024", "pengamanan"),
    (PILKADA, "kodim-0906", "disbursement", D(2024, 3, 21), "2000", "SP2D 02340/LS/2024", ""),
    (PILKADA, "kodim-0906", "spending", D(2024, 12, 2), "1980", "LPJ-KODIM0906/12/2024", "pengamanan"),
    (PILKADA, "kodim-0906", "refund", D(2025, 1, 15), "20", "STS 00112/2025", ""),
    (PILKADA, "polres-bontang", "disbursement", D(2024, 3, 25), "1200", "SP2D 02402/LS/2024", ""),
    (PILKADA, "polres-bontang", "spending", D(2024, 12, 5), "1200", "LPJ-OPS/BTG/12/2024", "pengamanan"),
    (PILKADA, "kodim-0908", "disbursement", D(2024, 4, 16), "624", "SP2D 02988/LS/2024", ""),
    (PILKADA, "kodim-0908", "spending", D(2024, 12, 6), "596.4", "LPJ-KODIM0908/12/2024", "pengamanan"),
    (PSU, "kpu-kukar", "disbursement", D(2025, 3, 26), "33700", "SP2D 01450/LS/2025", ""),
    (PSU, "kpu-kukar", "spending", D(2025, 4, 30), "29415.6", "LPJ-PSU-KPU/04/2025", "honorarium"),
    (PSU, "bawaslu-kukar", "disbursement", D(2025, 3, 27), "10800", "SP2D 01462/LS/2025", ""),
    (PSU, "bawaslu-kukar", "spending", D(2025, 4, 30), "9870", "LPJ-PSU-BWS/04/2025", "honorarium"),
    (PSU, "bawaslu-kukar", "refund", D(2025, 8, 12), "930", "STS 00871/2025", ""),
    (PSU, "polres-kukar", "disbursement", D(2025, 3, 27), "12100", "SP2D 01463/LS/2025", ""),
    (PSU, "polres-kukar", "spending", D(2025, 4, 25), "11760", "LPJ-PSU-OPS/04/2025", "pengamanan"),
    (PSU, "polres-kukar", "refund", D(2025, 7, 30), "340", "STS 00790/2025", ""),
    (PSU, "kodim-0906", "disbursement", D(2025, 4, 8), "3600", "SP2D 01601/LS/2025", ""),
    (PSU, "kodim-0906", "spending", D(2025, 4, 28), "3512", "LPJ-PSU-KODIM0906/04/2025", "pengamanan"),
    (PSU, "polres-bontang", "disbursement", D(2025, 4, 22), "1200", "SP2D 01788/LS/2025", ""),
    (PSU, "kodim-0908", "disbursement", D(2025, 4, 9), "850", "SP2D 01622/LS/2025", ""),
    (PSU, "kodim-0908", "spending", D(2025, 4, 28), "843.25", "LPJ-PSU-KODIM0908/04/2025", "pengamanan"),
]

# (election, kind, recipient, label, amount in juta, source key, source, note)
FIGURES = [
    (
        PILKADA,
        "total",
        None,
        "Hibah Pilkada Kukar 2024 (rakor lintas sektoral, 3 Sep 2024)",
        "103660",
        "K1",
        "gerbangkaltim.com, rakor lintas sektoral",
        "",
    ),
    (PILKADA, "total", None, "Hibah Pilkada Kukar 2024 (dibulatkan)", "103000", "K2", "kukarpaper.com", ""),
    (PILKADA, "item", "kpu-kukar", "KPU Kukar", "76055", "K45", "koranusantara.com, penandatanganan NPHD", ""),
    (
        PILKADA,
        "item",
        "bawaslu-kukar",
        "Bawaslu Kukar",
        "15400",
        "K46",
        "kaltim.suara.com, 8 Mar 2024",
        "K45 menyebut Rp 14,033 miliar.",
    ),
    (PILKADA, "item", "polres-kukar", "Polres Kukar (dibulatkan)", "8000", "K45", "koranusantara.com", ""),
    (PILKADA, "item", "polres-bontang", "Polres Bontang (dibulatkan)", "1000", "K45", "koranusantara.com", ""),
    (PILKADA, "item", "kodim-0908", "Kodim 0908 (dibulatkan)", "600", "K45", "koranusantara.com", ""),
    (
        PSU,
        "total",
        None,
        "Hibah PSU Pilkada Kukar 2025 (19 Mar 2025)",
        "62400",
        "K50",
        "tekstual.com",
        "Rincian yang dilaporkan berjumlah Rp 62,25 miliar.",
    ),
]


def load(context: DemoContext) -> None:
    # The migration loads the policies; a flushed test database (transactional tests) has lost them.
    policies_load(DisbursementPolicy, PolicyStep)
    users = context.users
    finance = users["keuangan.kukar"]
    for election, recipient, number, signed, amount, policy, years in AGREEMENTS:
        if Agreement.objects.filter(election__slug=election, recipient__code=recipient).exists():
            continue
        services.agreement_create(
            actor=finance,
            election_slug=election,
            recipient_code=recipient,
            number=number,
            signed_on=signed,
            amount=Decimal(amount) * M,
            policy_code=policy,
            budget_years=[(y, Decimal(v) * M) for y, v in years] if years else None,
            channel=Channel.SYSTEM,
        )
    for index, (election, recipient, kind, day, amount, reference, category) in enumerate(ENTRIES):
        actor = finance if kind == "disbursement" else users[POSTER[recipient]]
        _post(
            actor,
            election,
            recipient,
            f"demo-{index}",
            kind=kind,
            entry_date=day,
            amount=Decimal(amount) * M,
            reference=reference,
            category=category,
        )
    _correction(users["polres.kukar"])
    if not Ratification.objects.filter(election__slug=PSU).exists():
        services.ratification_set(
            actor=finance, election_slug=PSU, proposed_on=D(2025, 5, 12), source=ILLUSTRATIVE, channel=Channel.SYSTEM
        )
    _close(finance)
    _figures(finance)
    sent = alerts_send(timezone.localdate())
    context.say(f"Grants: {Agreement.objects.count()} NPHD (Pilkada 2024 and PSU 2025) with ledgers; {sent} new alerts")


def _agreement_id(election: str, recipient: str) -> int:
    return Agreement.objects.get(election__slug=election, recipient__code=recipient).pk


def _post(actor, election: str, recipient: str, client_id: str, **fields) -> None:
    services.ledger_post(
        actor=actor,
        agreement_id=_agreement_id(election, recipient),
        client_id=client_id,
        channel=Channel.SYSTEM,
        **fields,
    )


def _correction(actor) -> None:
    """Polres Kukar first typed 79,5 juta for a 7,95 miliar report (entry #2) and then posted it right:
    the wrong line is reversed, never edited."""
    _post(
        actor,
        PILKADA,
        "polres-kukar",
        "demo-correction",
        kind="correction",
        entry_date=D(2024, 12, 2),
        reference="KOR-OPS/12/2024",
        reverses_seq=2,
        note="Salah ketik: Rp 79,5 juta seharusnya Rp 7,95 miliar (sudah dicatat sebagai entri #3).",
    )
    _post(
        actor,
        PILKADA,
        "polres-kukar",
        "demo-refund",
        kind="refund",
        entry_date=D(2025, 1, 20),
        amount=Decimal("150") * M,
        reference="STS 00131/2025",
    )


def _close(finance) -> None:
    for election, recipient in [
        (PILKADA, "kodim-0906"),
        (PILKADA, "polres-bontang"),
        (PILKADA, "polres-kukar"),
        (PSU, "polres-kukar"),
    ]:
        services.agreement_close(actor=finance, agreement_id=_agreement_id(election, recipient), channel=Channel.SYSTEM)


def _figures(actor) -> None:
    if BudgetFigure.objects.filter(region_id="64.02").exists():
        return
    for election, kind, recipient, label, amount, key, source, note in FIGURES:
        services.budget_figure_add(
            actor=actor,
            election_slug=election,
            kind=kind,
            recipient_code=recipient,
            label=label,
            amount=Decimal(amount) * M,
            source_key=key,
            source=source,
            note=note,
        )
