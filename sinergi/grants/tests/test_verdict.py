"""The grants module's verdict for the situation room (hand-made cases)."""

import pytest
from django.utils import translation

from sinergi.core.situation import READY, TROUBLE
from sinergi.grants import situation


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (dict(agreements=0, late=0, disbursed_pct=0), None),
        (dict(agreements=6, late=2, disbursed_pct=40), (TROUBLE, "2 tahap pencairan hibah terlambat.")),
        (
            dict(agreements=6, late=0, disbursed_pct=62.5),
            (READY, "Pencairan hibah sesuai jadwal (62,5 % tersalurkan)."),
        ),
        (dict(agreements=6, late=0, disbursed_pct=100), (READY, "Seluruh hibah tersalurkan tepat waktu.")),
    ],
)
def test_verdict_rule(case, expected):
    assert situation.verdict_rule(**case) == expected


def test_numbers_in_the_reason_follow_the_language():
    with translation.override("en"):
        assert situation.verdict_rule(agreements=6, late=0, disbursed_pct=62.5) == (
            READY,
            "Grant disbursement on schedule (62.5 % disbursed).",
        )
