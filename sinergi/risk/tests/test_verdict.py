"""The risk module's verdict for the situation room (hand-made cases)."""

import pytest

from sinergi.core.situation import ATTENTION, READY, TROUBLE
from sinergi.risk import situation


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            dict(assessed_pct=None, category=None, high_children=0),
            (ATTENTION, "Belum ada pemetaan kerawanan TPS untuk wilayah ini."),
        ),
        (
            dict(assessed_pct=31.0, category="rendah", high_children=0),
            (TROUBLE, "Baru 31,0 % TPS dipetakan kerawanannya."),
        ),
        (
            dict(assessed_pct=90.25, category="rendah", high_children=0),
            (ATTENTION, "90,2 % TPS dipetakan kerawanannya; sisanya belum."),
        ),
        (
            dict(assessed_pct=100.0, category="sedang", high_children=2),
            (ATTENTION, "Semua TPS dipetakan; 2 wilayah di bawahnya berkerawanan tinggi."),
        ),
        (
            dict(assessed_pct=100.0, category="sedang", high_children=0),
            (READY, "Semua TPS dipetakan dan tidak ada wilayah berkerawanan tinggi."),
        ),
    ],
)
def test_verdict_rule(case, expected):
    assert situation.verdict_rule(**case) == expected
