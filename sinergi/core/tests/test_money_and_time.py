import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sinergi.core.errors import ValidationFailed
from sinergi.core.money import format_percent, format_rupiah, to_rupiah
from sinergi.core.templatetags.sinergi import local
from sinergi.core.timezones import WIB, WIT, WITA, zone_for_area


def test_rupiah_is_exact_and_refuses_float():
    assert to_rupiah("103660000000") == Decimal("103660000000.00")
    assert format_rupiah(Decimal("103660000000")) == "Rp 103.660.000.000"
    assert format_rupiah(Decimal("-624000000.5")) == "-Rp 624.000.000,50"
    with pytest.raises(ValidationFailed, match="bukan float"):
        to_rupiah(1.5)
    with pytest.raises(ValidationFailed, match="paling banyak dua angka desimal"):
        to_rupiah("1.005")
    with pytest.raises(ValidationFailed, match="bukan jumlah rupiah"):
        to_rupiah("seratus")
    with translation.override("en"):
        assert format_rupiah(Decimal("103660000000")) == "Rp 103,660,000,000"
        with pytest.raises(ValidationFailed, match="'seratus' is not an amount of rupiah"):
            to_rupiah("seratus")


@given(st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False, allow_infinity=False))
def test_rupiah_round_trips(amount):
    assert to_rupiah(str(amount)) == amount


def test_percent_uses_a_decimal_comma():
    assert format_percent(Decimal("79.5")) == "79,50 %"
    assert format_percent(None) == "–"
    with translation.override("en"):
        assert format_percent(Decimal("79.5")) == "79.50 %"


def test_zone_follows_the_province():
    assert zone_for_area("64.02.06") == WITA
    assert zone_for_area("31.71") == WIB
    assert zone_for_area("94.01") == WIT


def test_local_filter_shows_local_time_with_zone():
    closing = dt.datetime(2024, 11, 27, 5, 0, tzinfo=dt.UTC)  # 13.00 WITA
    assert local(closing, "64.02") == "27-11-2024 13.00 WITA"
    assert local(closing, "31.71") == "27-11-2024 12.00 WIB"
