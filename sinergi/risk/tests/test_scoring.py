"""Scoring against hand-computed cases, and properties of scores and roll-ups."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.risk import scoring

# Three variables: A (weight 1: a1, a2), S security (weight 3: s1, s2), L (weight 1: l1).
SCHEME = scoring.Scheme(
    codes=["a1", "a2", "s1", "s2", "l1"],
    positions=np.array([0, 1, 2, 3, 4]),
    weights=np.array([1.0, 1.0, 3.0, 3.0, 0.5]),
    variable_of=np.array([0, 0, 1, 1, 2]),
    variable_codes=["A", "S", "L"],
    variable_weights=np.array([1.0, 3.0, 1.0]),
    rules=[
        scoring.Rule(rank=3, columns=np.array([], dtype=np.int64), min_yes=1, special_location=True),
        scoring.Rule(rank=2, columns=np.array([2, 3]), min_yes=2, special_location=False),
        scoring.Rule(rank=1, columns=np.array([2, 3]), min_yes=1, special_location=False),
    ],
)
BOUNDS = [(0.0, "rendah"), (7.5, "sedang"), (15.0, "tinggi")]


def masks(*rows):
    return np.array([scoring.pack(r, SCHEME) for r in rows], dtype=np.int64)


def test_scores_are_the_weighted_sum_of_yes_answers():
    _, score, flags, ranks = scoring.assess(
        masks([], ["a1"], ["a1", "a2", "l1"], ["s1", "l1"], ["s1", "s2"]), np.zeros(5, bool), SCHEME
    )
    assert score.tolist() == [0.0, 1.0, 2.5, 3.5, 6.0]
    assert flags.tolist() == [
        [False, False, False],
        [True, False, False],
        [True, False, True],
        [False, True, True],
        [False, True, False],
    ]
    assert [scoring.CLASS_NAMES[r] for r in ranks] == ["kurang_rawan"] * 3 + ["rawan", "sangat_rawan"]


def test_special_location_is_khusus_whatever_the_answers():
    _, _, _, ranks = scoring.assess(masks([], ["s1", "s2"]), np.array([True, True]), SCHEME)
    assert [scoring.CLASS_NAMES[r] for r in ranks] == ["khusus", "khusus"]


def test_area_index_by_hand():
    # 4 TPS: A flagged at 2 of them, S at 1, L at 0 -> 100 * (1*2/4 + 3*1/4 + 0) / 5 = 25.
    r = scoring.rollup(np.zeros(4, dtype=np.int64), 1, masks(["a1"], ["a2", "s1"], [], []), np.zeros(4, bool), SCHEME)
    assert r.assessed.tolist() == [4] and r.flagged.tolist() == [2]
    assert r.by_indicator.tolist() == [[1, 1, 1, 0, 0]] and r.by_variable.tolist() == [[2, 1, 0]]
    index = scoring.indices(r.by_variable, r.assessed, SCHEME)
    assert index.tolist() == [25.0]
    assert scoring.categories(index, BOUNDS) == ["tinggi"]
    assert scoring.categories(np.array([0.0, 7.49, 7.5, 14.99]), BOUNDS) == ["rendah", "rendah", "sedang", "sedang"]


def test_no_assessed_tps_gives_index_zero():
    assert scoring.indices(np.zeros((1, 3), dtype=np.int64), np.array([0]), SCHEME).tolist() == [0.0]


mask_values = st.integers(min_value=0, max_value=2**5 - 1)


@settings(max_examples=200, deadline=None)
@given(mask=mask_values, bit=st.integers(0, 4), special=st.booleans())
def test_adding_a_flag_never_lowers_score_or_class(mask, bit, special):
    before = scoring.assess(np.array([mask]), np.array([special]), SCHEME)
    after = scoring.assess(np.array([mask | (1 << bit)]), np.array([special]), SCHEME)
    assert after[1][0] >= before[1][0]
    assert after[3][0] >= before[3][0]


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.tuples(mask_values, st.integers(0, 5), st.booleans()), min_size=1, max_size=60),
    parents=st.lists(st.integers(0, 2), min_size=6, max_size=6),
)
def test_rollup_counts_equal_the_sum_of_children(rows, parents):
    m = np.array([r[0] for r in rows], dtype=np.int64)
    groups = np.array([r[1] for r in rows], dtype=np.int64)
    special = np.array([r[2] for r in rows])
    children = scoring.rollup(groups, 6, m, special, SCHEME)
    parent_of = np.array(parents, dtype=np.int64)
    merged = scoring.merge(children, parent_of, 3)
    direct = scoring.rollup(parent_of[groups], 3, m, special, SCHEME)
    for name in ("assessed", "flagged", "by_indicator", "by_variable", "by_class"):
        assert np.array_equal(getattr(merged, name), getattr(direct, name)), name
    assert np.allclose(merged.score_sum, direct.score_sum)
    assert merged.assessed.sum() == len(rows)


@pytest.mark.parametrize("value", [0.0, 13.46, 13.47, 49.32, 49.33, 100.0])
def test_ikp_kabupaten_thresholds(value):
    bounds = [(0.0, "rendah"), (13.47, "sedang"), (49.33, "tinggi")]
    expected = "rendah" if value < 13.47 else "sedang" if value < 49.33 else "tinggi"
    assert scoring.categories(np.array([value]), bounds) == [expected]
