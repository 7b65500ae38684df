import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from sinergi.core import formatting

CLOSING = dt.datetime(2024, 11, 27, 5, 0, tzinfo=dt.UTC)  # 13.00 WITA in Kukar, 12.00 WIB in Jakarta


@pytest.fixture(params=["id", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


def expect(language, indonesian, english):
    return indonesian if language == "id" else english


def test_number_groups_thousands(language):
    assert formatting.number(1447) == expect(language, "1.447", "1,447")
    assert formatting.number(Decimal("70.98"), 2) == expect(language, "70,98", "70.98")
    assert formatting.number(Decimal("79.5"), 1) == expect(language, "79,5", "79.5")
    assert formatting.number(None) == "–"


def test_number_rounds_half_up_not_to_even():
    with translation.override("id"):
        assert formatting.number(Decimal("0.125"), 2) == "0,13"
        assert formatting.number(2.5) == "3"


def test_percent(language):
    assert formatting.percent(Decimal("70.98"), 2) == expect(language, "70,98 %", "70.98 %")
    assert formatting.percent(79.5) == expect(language, "79,5 %", "79.5 %")
    assert formatting.percent(100, 0) == "100 %"
    assert formatting.percent(None) == "–"


def test_rupiah(language):
    assert formatting.rupiah(Decimal("103660000000")) == expect(language, "Rp 103.660.000.000", "Rp 103,660,000,000")
    assert formatting.rupiah(Decimal("-624000000.5")) == expect(language, "-Rp 624.000.000,50", "-Rp 624,000,000.50")
    assert formatting.rupiah(0) == "Rp 0"
    assert formatting.rupiah(None) == "–"


def test_date_and_time_in_the_areas_zone(language):
    assert formatting.date(dt.date(2024, 11, 27)) == expect(language, "27 November 2024", "November 27, 2024")
    assert formatting.time(CLOSING, "64.02") == expect(language, "13.00 WITA", "13:00 WITA")
    assert formatting.time(CLOSING, "31.71") == expect(language, "12.00 WIB", "12:00 WIB")
    assert formatting.time(CLOSING, "94.01") == expect(language, "14.00 WIT", "14:00 WIT")
    assert formatting.datetime(CLOSING, "64.02") == expect(
        language, "27 November 2024 13.00 WITA", "November 27, 2024 13:00 WITA"
    )
    assert formatting.datetime(None) == "–"


def test_a_moment_is_dated_in_the_areas_zone():
    late_evening_utc = dt.datetime(2024, 11, 26, 17, 30, tzinfo=dt.UTC)  # 01.30 on the 27th in Kukar
    with translation.override("id"):
        assert formatting.date(late_evening_utc, "64.02", short=True) == "27-11-2024"
        assert formatting.date(late_evening_utc, "31.71", short=True) == "27-11-2024"
        assert formatting.date(dt.datetime(2024, 11, 26, 16, 30, tzinfo=dt.UTC), "31.71", short=True) == "26-11-2024"
    with translation.override("en"):
        assert formatting.date(late_evening_utc, "64.02", short=True) == "11/27/2024"


def test_zone_label():
    assert formatting.zone_label("64.02.06") == "WITA"
    assert formatting.zone_label() == "WIB"
    assert formatting.zone_label("91.01") == "WIT"


def test_a_quantity_carries_its_unit_in_the_reader_s_notation():
    from decimal import Decimal

    from django.utils import translation

    from sinergi.core.formatting import quantity

    assert quantity(1447, "TPS") == "1.447 TPS" and quantity(87.5, "%") == "87,5 %"
    assert quantity(Decimal("1000"), "Rp") == "Rp 1.000" and quantity(None, "%") == "–" and quantity("v1") == "v1"
    with translation.override("en"):
        assert quantity(1447, "TPS") == "1,447 TPS" and quantity(70.98, "%") == "70.98 %"
