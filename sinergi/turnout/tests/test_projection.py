import numpy as np
import pytest

from sinergi.turnout.projection import Projection, Strata, project, scale_to_final


def strata(rows):
    """rows: (N, X, list of (y, x) for the reporting TPS)."""
    cols = []
    for n_all, x_all, reports in rows:
        y = np.array([r[0] for r in reports], dtype=float)
        x = np.array([r[1] for r in reports], dtype=float)
        cols.append((n_all, x_all, len(reports), y.sum(), x.sum(), (y * y).sum(), (x * y).sum(), (x * x).sum()))
    data = np.array(cols, dtype=float)
    return Strata(*(data[:, i] for i in range(8)))


def test_hand_made_ratio_estimator():
    # Stratum A: 4 TPS, DPT 1000; two reported 150/250 and 210/250 -> R = 0.72 -> 720 voters.
    # Stratum B: 2 TPS, DPT 400; one reported 100/200 -> R = 0.5 -> 200 voters.
    s = strata([(4, 1000, [(150, 250), (210, 250)]), (2, 400, [(100, 200)])])
    p = project(s)
    assert p.pct == pytest.approx(100 * (720 + 200) / 1400)
    assert p.low is not None and p.high is not None and p.pct is not None
    assert p.low < p.pct < p.high
    assert p.coverage == pytest.approx(700 / 1400)


def test_unreported_stratum_borrows_the_pooled_ratio():
    s = strata([(2, 500, [(150, 250), (200, 250)]), (2, 500, [])])
    p = project(s)
    assert p.pct == pytest.approx(70.0)
    assert p.low is not None and p.high is not None
    assert p.high - p.low > 0


def test_complete_count_has_no_uncertainty():
    s = strata([(2, 500, [(150, 250), (200, 250)])])
    p = project(s)
    assert p.pct == pytest.approx(70.0)
    assert p.low == pytest.approx(70.0) and p.high == pytest.approx(70.0)


def test_nothing_reported_projects_nothing():
    assert project(strata([(3, 900, [])])).pct is None


def test_scale_to_final_divides_by_the_usual_share():
    scaled = scale_to_final(Projection(37.0, 35.0, 39.0, 0.5), 0.5)
    assert (scaled.pct, scaled.low, scaled.high) == (74.0, 70.0, 78.0)
