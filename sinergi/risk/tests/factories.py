"""Builders for risk tests: instruments, rounds and checklists over the small world."""

import datetime as dt
from typing import Any

from sinergi.accounts.roles import Role
from sinergi.areas.models import PollingStation
from sinergi.risk import services
from sinergi.risk.models import AssessmentRound, Indicator, Instrument
from testkit.builders import user_make


def pilkada() -> Instrument:
    return {i.slug: i for i in services.instruments_load_defaults()}["tps-pilkada-2024"]


def all_no(instrument: Instrument) -> dict[str, Any]:
    return {
        code: {"yes": False, "count": 0 if kind == "jumlah" else None}
        for code, kind in Indicator.objects.filter(instrument=instrument).values_list("code", "answer_type")
    }


def answers_with(instrument: Instrument, *yes: str) -> dict[str, Any]:
    answers = all_no(instrument)
    for code in yes:
        answers[code] = {"yes": True, "count": 1 if answers[code]["count"] is not None else None}
    return answers


def analyst():
    return user_make("analis", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar")


def round_make(actor, instrument: Instrument | None = None, slug: str = "r1", area: str = "64.02") -> AssessmentRound:
    return services.round_create(
        actor=actor,
        instrument=instrument or pilkada(),
        area_code=area,
        name=f"Round {slug}",
        slug=slug,
        window_start=dt.date(2024, 11, 10),
        window_end=dt.date(2024, 11, 15),
    )


def stations(prefix: str = "64.02") -> list[str]:
    return list(PollingStation.objects.within(prefix).order_by("code").values_list("code", flat=True))
