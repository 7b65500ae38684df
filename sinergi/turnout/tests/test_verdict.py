"""The turnout module's verdict for the situation room (hand-made cases)."""

from typing import Any

import pytest
from django.utils import translation

from sinergi.core.situation import ATTENTION, READY, TROUBLE
from sinergi.turnout import situation

pytestmark = pytest.mark.django_db  # the app's autouse fixture resets its cached voting-day constants

BASE: dict[str, Any] = dict(
    expected=1447, missing=0, grace_passed=True, flagged=0, below_pace=False, checkpoint="pukul 11.00"
)


@pytest.mark.parametrize(
    ("changes", "level", "reason"),
    [
        (dict(expected=0), ATTENTION, "Belum ada slot laporan partisipasi untuk wilayah ini."),
        (dict(missing=1447), TROUBLE, "1447 dari 1447 TPS belum melapor pukul 11.00."),
        (dict(missing=145), TROUBLE, "145 dari 1447 TPS belum melapor pukul 11.00."),
        (dict(missing=144), ATTENTION, "144 dari 1447 TPS belum melapor pukul 11.00."),
        (dict(missing=500, grace_passed=False), READY, "Slot laporan siap untuk 1447 TPS."),
        (
            dict(below_pace=True, turnout_pct=41.2, pace_pct=47.25),
            ATTENTION,
            "Partisipasi pukul 11.00 41,20 % di bawah laju target 47,25 %.",
        ),
        (dict(flagged=3), ATTENTION, "3 laporan partisipasi ditandai dan perlu ditinjau."),
        ({}, READY, "Semua TPS sudah melapor pukul 11.00."),
    ],
)
def test_verdict_rule(changes, level, reason):
    assert situation.verdict_rule(**{**BASE, **changes}) == (level, reason)


def test_the_verdict_reads_in_english():
    with translation.override("en"):
        found = situation.verdict_rule(**{**BASE, "missing": 12, "checkpoint": "at 11:00"})
    assert found == (ATTENTION, "12 of 1447 TPS have not reported at 11:00.")
