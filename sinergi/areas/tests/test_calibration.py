import csv
from collections import Counter
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from sinergi.areas.calibration import (
    KUKAR_DPT_FEMALE,
    KUKAR_DPT_MALE,
    KUKAR_TPS,
    MAX_PER_TPS,
    DesaWeight,
    allocate,
    calibrate,
)

MASTER = Path(__file__).resolve().parents[1] / "data" / "kukar_desa_master.csv"


def kukar_desa() -> list[DesaWeight]:
    with MASTER.open(encoding="utf-8") as handle:
        return [
            DesaWeight(
                r["code"], r["name"], int(r["tps_pemilu2024_regular"]), float(r["label_lat"]), float(r["label_lng"])
            )
            for r in csv.DictReader(handle)
        ]


def test_kukar_stand_in_matches_the_official_totals():
    stations = calibrate(kukar_desa())
    assert len(stations) == KUKAR_TPS == 1447
    assert sum(s.dpt_male for s in stations) == KUKAR_DPT_MALE == 287_725
    assert sum(s.dpt_female for s in stations) == KUKAR_DPT_FEMALE == 264_744
    assert max(s.dpt_male + s.dpt_female for s in stations) <= MAX_PER_TPS
    assert sum(s.special for s in stations) == 6
    assert len({s.desa for s in stations}) == 237
    assert len({s.code for s in stations}) == 1447


def test_bigger_desa_get_more_tps():
    per_desa = Counter(s.desa for s in calibrate(kukar_desa()))
    weights = {d.code: d.pemilu_tps for d in kukar_desa()}
    biggest = max(weights, key=lambda code: weights[code])
    smallest = min(weights, key=lambda code: weights[code])
    assert per_desa[biggest] > per_desa[smallest]


def test_calibration_is_deterministic():
    assert calibrate(kukar_desa()) == calibrate(kukar_desa())


@given(
    st.integers(min_value=10, max_value=10_000),
    st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=30),
)
def test_allocate_is_exact_and_respects_the_minimum(total, weights):
    assume(total >= len(weights))
    shares = allocate(total, weights, minimum=1)
    assert sum(shares) == total
    assert min(shares) >= 1


def test_each_polres_gets_the_tps_it_secured():
    """Polres Bontang secured 146 Kukar TPS in Muara Badak and Marang Kayu, Polres Kukar 1,301."""
    per_kecamatan = Counter(s.desa.rsplit(".", 1)[0] for s in calibrate(kukar_desa()))
    bontang = per_kecamatan["64.02.05"] + per_kecamatan["64.02.17"]
    assert (bontang, sum(per_kecamatan.values()) - bontang) == (146, 1301)
