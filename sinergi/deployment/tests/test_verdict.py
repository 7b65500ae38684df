"""The deployment module's verdict for the situation room (hand-made cases)."""

import pytest

from sinergi.core.situation import ATTENTION, READY, TROUBLE
from sinergi.deployment import situation


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (dict(has_plan=False, polri=0, tni=0, linmas=0), (TROUBLE, "Belum ada rencana pengamanan TPS yang disetujui.")),
        (
            dict(has_plan=True, polri=0, tni=12, linmas=0),
            (TROUBLE, "Rencana pengamanan kurang 12 personel TNI."),
        ),
        (
            dict(has_plan=True, polri=3, tni=0, linmas=5),
            (TROUBLE, "Rencana pengamanan kurang 3 personel Polri."),
        ),
        (
            dict(has_plan=True, polri=2, tni=4, linmas=0),
            (TROUBLE, "Rencana pengamanan kurang 2 personel Polri dan 4 personel TNI."),
        ),
        (dict(has_plan=True, polri=0, tni=0, linmas=5), (ATTENTION, "Rencana pengamanan kurang 5 anggota Linmas.")),
        (
            dict(has_plan=True, polri=0, tni=0, linmas=0),
            (READY, "Rencana pengamanan disetujui dan seluruh TPS terisi personel."),
        ),
    ],
)
def test_verdict_rule(case, expected):
    assert situation.verdict_rule(**case) == expected
