"""Demo for the field app: one field login of Tenggarong that can send all three field reports, and an
open TPS checklist round over Tenggarong for it to fill.

Turnout is written by KPU's role (KPPS/PPS) and the checklist by Bawaslu's field role (PTPS/PKD), so no
existing demo user can do both. `ptps.tenggarong` holds both memberships over one kelurahan (Timbau),
which is what a tester needs to try the field app end to end; a real roster gives each person one role."""

import datetime as dt

from django.utils import timezone

from sinergi.accounts.demo import DEMO_PASSWORD, _user
from sinergi.accounts.models import Agency
from sinergi.accounts.roles import Role
from sinergi.accounts.services import membership_grant
from sinergi.core.demo_context import DemoContext
from sinergi.risk import services as risk
from sinergi.risk.models import AssessmentRound

USERNAME = "ptps.tenggarong"
DESA = "64.02.06.1004"  # Kelurahan Timbau, Tenggarong
TENGGARONG = "64.02.06"
ROUND_SLUG = "lapangan-tenggarong"


def load(context: DemoContext) -> None:
    user = _user(USERNAME, "Pengawas TPS Timbau", superuser=False)
    title = "Pengawas TPS Timbau (demo aplikasi lapangan: juga lapor partisipasi)"
    membership_grant(
        user=user,
        agency=Agency.objects.get(code="panwascam-tenggarong"),
        role=Role.FIELD_OFFICER,
        area_code=DESA,
        title=title,
    )
    membership_grant(
        user=user, agency=Agency.objects.get(code="ppk-tenggarong"), role=Role.KPU_OPERATOR, area_code=DESA, title=title
    )
    context.users[USERNAME] = user
    context.logins.append((USERNAME, DEMO_PASSWORD, f"{Role.FIELD_OFFICER.label} · {title} · /lapangan/"))
    _open_round(context)


def _open_round(context: DemoContext) -> None:
    if AssessmentRound.objects.filter(slug=ROUND_SLUG).exists():
        return
    actor = context.users.get("bawaslu.kukar") or context.users.get("admin")
    instrument = {i.slug: i for i in risk.instruments_load_defaults()}["tps-pilkada-2024"]
    today = timezone.localdate()
    risk.round_create(
        actor=actor,
        instrument=instrument,
        area_code=TENGGARONG,
        name="Pemetaan TPS rawan H-1 Tenggarong (aplikasi lapangan)",
        slug=ROUND_SLUG,
        window_start=today - dt.timedelta(days=1),
        window_end=today + dt.timedelta(days=30),
    )
    context.say(f"Field: {USERNAME} (/lapangan/) and an open checklist round over Tenggarong ({ROUND_SLUG})")
