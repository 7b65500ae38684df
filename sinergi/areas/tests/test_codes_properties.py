"""Properties of the area code arithmetic (areas.codes) over any well-formed Kemendagri code, not only
the small world's: every app finds parents, levels and containment through these functions."""

from hypothesis import given
from hypothesis import strategies as st

from sinergi.areas.codes import (
    LEVELS,
    NATIONAL_CODE,
    ancestor_at,
    ancestors_of,
    depth_of,
    is_within,
    level_of,
    lineage_of,
    normalise_tps_code,
    parent_of,
    split_tps_code,
    tps_code,
)

WIDTHS = (2, 2, 2, 4)  # provinsi, kabupaten/kota, kecamatan, desa/kelurahan


def _digits(width: int) -> st.SearchStrategy[str]:
    return st.integers(min_value=0, max_value=10**width - 1).map(lambda n: f"{n:0{width}d}")


@st.composite
def area_codes(draw, min_depth: int = 0, max_depth: int = 4) -> str:
    depth = draw(st.integers(min_value=min_depth, max_value=max_depth))
    if depth == 0:
        return NATIONAL_CODE
    return ".".join(draw(_digits(width)) for width in WIDTHS[:depth])


desa_codes = area_codes(min_depth=4, max_depth=4)
tps_numbers = st.integers(min_value=1, max_value=999)


@given(area_codes())
def test_the_shape_of_a_code_gives_its_level_and_depth(code):
    assert level_of(code) == LEVELS[depth_of(code)]


@given(area_codes(min_depth=1))
def test_ancestors_run_from_the_nation_down_to_the_parent_one_level_at_a_time(code):
    chain = ancestors_of(code)
    assert chain[0] == NATIONAL_CODE and chain[-1] == parent_of(code)
    assert [depth_of(a) for a in chain] == list(range(depth_of(code)))
    for upper, lower in zip(chain, [*chain[1:], code], strict=True):
        assert parent_of(lower) == upper
    assert lineage_of(code) == [*chain[1:], code]


@given(area_codes())
def test_a_code_is_within_each_of_its_ancestors_and_itself_and_nothing_below(code):
    for ancestor in [*ancestors_of(code), code]:
        assert is_within(code, ancestor)
        assert ancestor_at(code, depth_of(ancestor)) == ancestor
    if code != NATIONAL_CODE:
        assert not is_within(parent_of(code) or NATIONAL_CODE, code)


@given(area_codes(min_depth=1), area_codes(min_depth=1))
def test_containment_is_a_path_prefix_never_a_string_prefix(code, scope):
    inside = is_within(code, scope)
    assert inside == (code == scope or scope in ancestors_of(code))


@given(area_codes(), st.integers(min_value=0, max_value=6))
def test_ancestor_at_a_depth_is_never_deeper_than_asked_nor_than_the_code(code, depth):
    found = ancestor_at(code, depth)
    assert depth_of(found) == min(depth, depth_of(code))
    assert is_within(code, found)


@given(desa_codes, tps_numbers)
def test_a_tps_code_splits_back_and_kpu_digits_normalise_to_it(desa, number):
    code = tps_code(desa, number)
    assert split_tps_code(code) == (desa, number)
    assert normalise_tps_code(code) == code
    assert normalise_tps_code(f"  {code.replace('.', '')} ") == code
    assert parent_of(code) == desa and is_within(code, desa)


def test_only_ascii_digits_and_no_trailing_newline_make_a_code():
    """Found by the property below: `\\d` took Arabic-Indic digits and `$` a trailing newline."""
    assert normalise_tps_code("٦٤٠٢٠٦١٠٠١٠١٢") is None
    assert level_of("٦٤") is None and level_of("64\n") is None and level_of("64.02\n") is None
    assert normalise_tps_code("64.02.06.1001.012\n") == "64.02.06.1001.012"  # input is stripped first


@given(st.text(alphabet=st.sampled_from("0123456789.٦٤١٠ \n"), max_size=20) | st.text(max_size=20))
def test_anything_else_is_no_tps_code(text):
    undotted = text.strip()
    well_formed = (
        len(undotted) == 13 and undotted.isascii() and undotted.isdigit()
    ) or level_of(undotted.rsplit(".", 1)[0]) == "desa_kelurahan"
    if not well_formed:
        assert normalise_tps_code(text) is None
