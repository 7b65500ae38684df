"""Builders for meetings tests."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sinergi.meetings import services
from sinergi.meetings.models import ActionItem, Decision, Meeting

WITA = ZoneInfo("Asia/Makassar")


def meeting_make(
    actor: Any, *, area: str = "64.02", when: datetime | None = None, title: str = "Rakor", **extra: Any
) -> Meeting:
    return services.meeting_create(
        actor=actor,
        kind_slug=extra.pop("kind_slug", "rakor-lintas-sektoral"),
        title=title,
        area_code=area,
        starts_at=when or datetime(2024, 9, 3, 9, 0, tzinfo=WITA),
        venue="Gedung Putri Karang Melenu, Tenggarong Seberang",
        organiser_code="kesbangpol-kukar",
        chair_name="Sunggono",
        chair_title="Sekretaris Daerah",
        on_behalf_of="Bupati Kutai Kartanegara",
        **extra,
    )


def decision_make(actor: Any, meeting: Meeting, text: str = "Amankan setiap TPS", public: bool = False) -> Decision:
    return services.decision_add(actor=actor, meeting=meeting, text=text, is_public=public)


def action_make(
    actor: Any,
    decision: Decision,
    *,
    title: str = "Petakan kerawanan",
    agency: str = "panwascam-tenggarong",
    area: str = "64.02.06",
    due: date = date(2024, 9, 30),
) -> ActionItem:
    return services.action_create(
        actor=actor, decision=decision, title=title, agency_code=agency, area_code=area, due_date=due
    )
