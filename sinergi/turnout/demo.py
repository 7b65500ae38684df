"""Demo: Kukar's voting day (Pilbup 27 Nov 2024) already played out, ending at the real 70.98 %."""

import datetime as dt
import random

from django.utils import timezone

from sinergi.accounts.models import Agency, User
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure, membership_grant
from sinergi.areas.models import Area, Election, PollingStation
from sinergi.core.demo_context import DemoContext
from sinergi.core.models import Channel
from sinergi.turnout import tally
from sinergi.turnout.models import OutreachActivity, Report, Slot, TargetGroup
from sinergi.turnout.plan import plan_day
from sinergi.turnout.replay import play
from sinergi.turnout.services import ReportInput, reports_submit, slot_correct
from sinergi.turnout.setup import election_prepare

KUKAR = "64.02"
KUKAR_2024_VOTERS = 392_161  # of DPT 552,469: 70.98 % (KPU Kukar plenary, Dec 2024)
PASSWORD = "sinergi-demo-2024"


def load(context: DemoContext) -> None:
    election = Election.objects.get(slug="pilbup-kukar-2024")
    created = election_prepare(election)
    _pps_ensure()
    second = _second_reporter(context)
    if Report.objects.filter(slot__checkpoint__election=election).exists():
        context.say("Turnout: voting day already loaded")
        return
    stations = list(PollingStation.objects.within(KUKAR).order_by("code").values_list("code", "dpt_total"))
    plan = plan_day(
        [c for c, _ in stations],
        [d for _, d in stations],
        total_voters=KUKAR_2024_VOTERS,
        voting_date=election.voting_date,
    )
    stored = play(plan, election, {"primary": context.users["kpu.kukar"], "second": second})
    # Corrected by Bawaslu: a supervisor who reported no version of the slot (KPU's operator did).
    _typo_corrected(election, second, context.users["bawaslu.kukar"])
    _outreach(context.users["kesbangpol.kukar"])
    tally.rebuild(election)  # the corrections after the replay: the numbers are right without a worker
    context.say(f"Turnout: {created} slots, {stored} reports; Kukar final 70,98 % (392.161 of 552.469)")


def _typo_corrected(election: Election, typist: User, supervisor: User) -> None:
    """Two final reports typed wrong by SMS (flagged), then corrected back by a supervisor: history shows both."""
    slots = Slot.objects.filter(checkpoint__election=election, checkpoint__is_final=True).order_by("tps_id")[100:102]
    for slot in slots:
        right, when = slot.voters, (slot.reported_at or timezone.now()) + dt.timedelta(minutes=20)
        typo = ReportInput(tps_code=slot.tps_id, checkpoint="final", voters=(slot.voters or 0) * 10 % 1000 + slot.dpt)
        reports_submit(election=election, items=[typo], actor=typist, channel=Channel.SMS, at=when)
        slot_correct(slot_id=slot.pk, voters=right or 0, actor=supervisor, note="salah ketik SMS, sesuai C.Hasil")


def _pps_ensure() -> None:
    """A PPS per Kukar desa with a phone number, so the missing-TPS list says whom to call."""
    existing = set(
        Agency.objects.filter(kind=AgencyKind.PPS, area__code__startswith=KUKAR + ".").values_list("area_id", flat=True)
    )
    desa = Area.objects.within(KUKAR, include_self=False).filter(level="desa_kelurahan").exclude(code__in=existing)
    for index, area in enumerate(desa.order_by("code")):
        agency = agency_ensure(
            code=f"pps-{area.code.replace('.', '-')}", name=f"PPS {area.name}", kind=AgencyKind.PPS, area_code=area.code
        )
        Agency.objects.filter(pk=agency.pk).update(phone=f"0811-5{index:03d}-{(index * 7919) % 10000:04d}")


def _second_reporter(context: DemoContext) -> User:
    user, made = User.objects.get_or_create(
        username="pps.kukar", defaults={"first_name": "Operator PPS Kukar", "phone": "0811-5400-0001"}
    )
    if made:
        user.set_password(PASSWORD)
        user.save()
    membership_grant(user=user, agency=Agency.objects.get(code="kpu-kukar"), role=Role.KPU_OPERATOR, area_code=KUKAR)
    context.users["pps.kukar"] = user
    context.logins.append(("pps.kukar", PASSWORD, "operator PPS (KPU) Kukar: lapor partisipasi lewat SMS"))
    return user


def _outreach(actor: User) -> None:
    rng = random.Random(27)
    groups = list(TargetGroup.values)
    desa = list(
        Area.objects.within(KUKAR, include_self=False).filter(level="desa_kelurahan").values_list("code", flat=True)
    )
    activities = []
    for code in sorted(desa):
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            activities.append(
                OutreachActivity(
                    desa_id=code,
                    held_on=dt.date(2024, 10, 1) + dt.timedelta(days=rng.randint(0, 55)),
                    target_group=rng.choice(groups),
                    participants=rng.randint(25, 180),
                    organiser=rng.choice(
                        ["KPU Kukar", "PPK", "Kesbangpol Kukar", "Pemerintah desa", "Relawan demokrasi"]
                    ),
                    topic=rng.choice(["Cara mencoblos", "Cek DPT", "Tolak politik uang", "Pemilih pemula"]),
                    recorded_by=actor,
                )
            )
    OutreachActivity.objects.bulk_create(activities)
