import pytest

from sinergi.areas.codes import (
    DESA_DEPTH,
    KECAMATAN_DEPTH,
    ancestor_at,
    ancestors_of,
    desa_kind,
    is_within,
    level_of,
    lineage_of,
    normalise_tps_code,
    parent_of,
    split_tps_code,
)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("ID", "nasional"),
        ("64", "provinsi"),
        ("64.02", "kabupaten_kota"),
        ("64.02.06", "kecamatan"),
        ("64.02.06.1001", "desa_kelurahan"),
        ("64.2", None),
        ("64.02.06.101", None),
        ("6402", None),
        ("", None),
    ],
)
def test_level_of_follows_the_shape_of_the_code(code, level):
    assert level_of(code) == level


def test_parent_and_ancestors():
    assert parent_of("64") == "ID"
    assert parent_of("64.02.06.1001") == "64.02.06"
    assert parent_of("ID") is None
    assert ancestors_of("64.02.06") == ["ID", "64", "64.02"]


def test_is_within_is_a_path_prefix_not_a_string_prefix():
    assert is_within("64.02.06", "64.02")
    assert is_within("64.02", "64.02")
    assert is_within("64.02", "ID")
    assert not is_within("64.021", "64.02")
    assert not is_within("64.02", "64.02.06")


def test_tps_codes_accept_kpu_undotted_digits():
    assert normalise_tps_code("6402061001012") == "64.02.06.1001.012"
    assert normalise_tps_code(" 64.02.06.1001.012 ") == "64.02.06.1001.012"
    assert normalise_tps_code("64.02.06.1001.12") is None
    assert split_tps_code("64.02.06.1001.901") == ("64.02.06.1001", 901)


def test_desa_kind_from_first_digit():
    assert desa_kind("64.02.06.1001") == "kelurahan"
    assert desa_kind("64.02.06.2001") == "desa"
    assert desa_kind("91.01.01.3001") == "desa_adat"


def test_ancestor_at_takes_the_area_of_a_depth_above_a_code():
    assert ancestor_at("64.02.06.2001.003", DESA_DEPTH) == "64.02.06.2001"
    assert ancestor_at("64.02.06.2001.003", KECAMATAN_DEPTH) == "64.02.06"
    assert ancestor_at("64.02.06.2001", 2) == "64.02"
    assert ancestor_at("64.02", KECAMATAN_DEPTH) == "64.02"  # no deeper than asked: itself
    assert ancestor_at("64.02", 0) == "ID"
    # A kabupaten code of five characters and a desa of four digits: the parts, not the characters.
    assert ancestor_at("91.71.01.3001.001", 3) == "91.71.01"


def test_lineage_runs_from_the_provinsi_down_to_the_code_itself():
    assert lineage_of("64.02.06.2001.003") == ["64", "64.02", "64.02.06", "64.02.06.2001", "64.02.06.2001.003"]
    assert lineage_of("64") == ["64"]
    assert lineage_of("ID") == []
