"""The reach module's verdict for the situation room (hand-made cases)."""

import pytest

from sinergi.core.situation import ATTENTION, READY, TROUBLE
from sinergi.reach import situation


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (dict(staff=0, tested_pct=None, unreachable=0), None),
        (
            dict(staff=40, tested_pct=None, unreachable=40),
            (TROUBLE, "Baru 0,0 % petugas lapangan mengirim laporan uji gladi."),
        ),
        (
            dict(staff=40, tested_pct=55.0, unreachable=10),
            (TROUBLE, "Baru 55,0 % petugas lapangan mengirim laporan uji gladi."),
        ),
        (
            dict(staff=40, tested_pct=80.0, unreachable=3),
            (ATTENTION, "3 petugas lapangan belum terjangkau dalam gladi."),
        ),
        (dict(staff=40, tested_pct=100.0, unreachable=0), (READY, "Seluruh petugas lapangan terjangkau dalam gladi.")),
    ],
)
def test_verdict_rule(case, expected):
    assert situation.verdict_rule(**case) == expected
