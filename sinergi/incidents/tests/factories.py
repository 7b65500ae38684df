"""Builders for the incident tests, on top of the shared small world (`world`, `personas`)."""

from datetime import datetime

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.core.models import Channel
from sinergi.incidents.models import Report
from sinergi.incidents.services import Intake, report_create
from testkit.builders import user_make

TENGGARONG_DESA = "64.02.06.2001"
TENGGARONG_TPS = "64.02.06.2001.001"
MUARA_BADAK_TPS = "64.02.05.2001.002"


def kapolsek() -> User:
    return user_make("kapolsek", Role.POLICE_PLANNER, "64.02.06", "polsek-tenggarong")


def bawaslu_analyst() -> User:
    return user_make("analis", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar")


def observer() -> User:
    return user_make("pemantau", Role.OBSERVER, "64.02", "pemkab-kukar")


def report_make(
    actor: User | None,
    *,
    category: str = "intimidasi-kekerasan",
    area_code: str = TENGGARONG_TPS,
    description: str = "Sekelompok orang mengancam petugas KPPS di depan TPS",
    severity: int | None = None,
    channel: str = Channel.WEB,
    now: datetime | None = None,
    occurred_at: datetime | None = None,
    client_id: str | None = None,
    contact: str = "",
) -> Report:
    intake = Intake(
        category=category,
        area_code=area_code,
        description=description,
        severity=severity,
        occurred_at=occurred_at,
        client_id=client_id,
        reporter_contact=contact,
    )
    report, _ = report_create(intake=intake, channel=channel, actor=actor, now=now)
    return report


def streamed(response) -> str:
    """The text of a streaming response (CSV export)."""
    return b"".join(response.streaming_content).decode("utf-8-sig")
