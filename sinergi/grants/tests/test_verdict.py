"""The grants module's verdict for the situation room (hand-made cases)."""

import pytest
from django.utils import translation

from sinergi.core.situation import ATTENTION, READY, TROUBLE
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


def test_an_unspent_balance_past_its_refund_deadline_needs_attention():
    assert situation.verdict_rule(agreements=6, late=0, disbursed_pct=100, refunds_late=4) == (
        ATTENTION,
        "4 sisa dana hibah belum disetor kembali ke kas daerah lewat tenggat.",
    )
    # A late tranche still outranks it.
    worse = situation.verdict_rule(agreements=6, late=1, disbursed_pct=80, refunds_late=4)
    assert worse is not None and worse[0] == TROUBLE
    with translation.override("en"):
        one = situation.verdict_rule(agreements=6, late=0, disbursed_pct=100, refunds_late=1)
        assert one == (ATTENTION, "1 unspent grant balance was not returned to the regional treasury by its deadline.")
