"""E.164 normalisation of Indonesian mobile numbers: every notation people write maps to one form,
anything else is refused with a reason."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.people.phones import display, to_e164

# The national significant number: 8, an operator digit 1-9 (not 0: 080x is toll-free), then 7-10 digits.
nsn = st.builds(
    lambda second, rest: "8" + second + rest,
    st.sampled_from("12345678"),
    st.text(alphabet="0123456789", min_size=7, max_size=10),
)
separator = st.sampled_from(["", " ", "-", ".", "  "])


def _spaced(digits: str, sep: str, cut: int) -> str:
    return sep.join(digits[i : i + cut] for i in range(0, len(digits), cut))


@given(
    nsn, separator, st.integers(min_value=2, max_value=5), st.sampled_from(["0", "62", "+62", "+62 ", "+62 (0)", ""])
)
def test_every_notation_of_a_number_gives_the_same_e164(number, sep, cut, prefix):
    written = prefix + _spaced(number, sep, cut)
    assert to_e164(written) == "+62" + number


@given(nsn)
def test_display_and_back_is_the_same_number(number):
    e164 = "+62" + number
    assert to_e164(display(e164)) == e164


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "kosong"),
        ("0812-ABCD-7890", "hanya boleh berisi angka"),
        ("+65 8123 4567", "kode negara harus +62"),
        ("+1 812 345 6789", "kode negara harus +62"),
        ("021 555 1234", "bukan nomor seluler"),
        ("0541 123456", "bukan nomor seluler"),
        ("62 21 5551234", "bukan nomor seluler"),
        ("0800 1234 567", "bebas pulsa"),
        ("0812 345", "terlalu pendek"),
        ("0812 3456 7890 1234", "terlalu panjang"),
        ("00 62 812 3456 7890", "awalan internasional 00"),
        ("１２３", "hanya boleh berisi angka"),  # full-width digits
        ("5812345678", "diawali 08, 62 atau +62"),
    ],
)
def test_what_is_not_an_indonesian_mobile_number_is_refused_with_a_reason(raw, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        to_e164(raw)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz!@#$%", min_size=1, max_size=12))
def test_letters_and_symbols_never_pass(junk):
    with pytest.raises(ValueError):
        to_e164("0812" + junk + "3456")
