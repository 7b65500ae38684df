"""Numbers, percentages, rupiah, dates and times in the active language.

Indonesian: 1.447 TPS, 70,98 %, Rp 103.660.000.000, 27 November 2024 13.00 WITA.
English:    1,447 TPS, 70.98 %, Rp 103,660,000,000, November 27, 2024 13:00 WITA.

Pure functions: they read only the active language (django.utils.translation) and Django's locale
formats, so the same call gives each reader their own notation. Times are shown in the area's zone
(core/timezones.py), never in UTC or the server's zone. None is shown as an en dash.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation

from sinergi.core.timezones import local_time, zone_abbreviation, zone_for_area

MISSING = "–"
NATION = "ID"  # the nation's code; its zone is WIB
_CENT = Decimal("0.01")
# Django's English TIME_FORMAT is "1 p.m."; a 24-hour clock reads the same in a report in both languages.
_TIME_FORMATS = {"id": "H.i", "en": "H:i"}
# Django's DATE_FORMAT abbreviates the month ("27 Nov. 2024"); letters and reports write it in full.
_DATE_FORMATS = {"id": "j F Y", "en": "F j, Y"}


def number(value: Decimal | float | int | None, decimals: int = 0) -> str:
    """1.447 / 1,447; `decimals` fixed places (70,98 / 70.98)."""
    if value is None:
        return MISSING
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


def percent(value: Decimal | float | int | None, decimals: int = 1) -> str:
    """A percentage already scaled to 0-100: 70,98 % / 70.98 % (with decimals=2)."""
    if value is None:
        return MISSING
    return f"{number(value, decimals)} %"


def measure(value: int | float | Decimal) -> str:
    """A number with as many decimals as it needs, up to two: 1.447 / 87,5 / 70,98 (1,447 / 87.5)."""
    if isinstance(value, int):
        return number(value)
    shown = number(value, 2)
    separator = str(formats.get_format("DECIMAL_SEPARATOR"))
    return shown.rstrip("0").rstrip(separator) if separator in shown else shown


def quantity(value: object, unit: str = "") -> str:
    """A value with its unit, as the situation room's cards and reports show it: 1.447 TPS, 87,5 %,
    Rp 1.000 (1,447 TPS, 87.5 %, Rp 1,000); text is shown as it is."""
    if value is None:
        return MISSING
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        text = str(value)
    elif unit == "Rp":
        return rupiah(Decimal(str(value)))
    else:
        text = measure(value)
    return f"{text} {unit}".strip()


def rupiah(amount: Decimal | int | None) -> str:
    """Rp 103.660.000.000 / Rp 103,660,000,000; sen only when there are any (Rp 624.000.000,50)."""
    if amount is None:
        return MISSING
    value = Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)
    places = 0 if value == value.to_integral_value() else 2
    text = number(abs(value), places)
    return ("-Rp " if value < 0 else "Rp ") + text


def date(value: dt.date | dt.datetime | None, area_code: str = NATION, *, short: bool = False) -> str:
    """27 November 2024 / November 27, 2024 (short: 27-11-2024 / 11/27/2024).

    A moment (datetime) is first moved to the area's zone, so a report at 23.30 UTC is dated the next
    day in Kukar."""
    if value is None:
        return MISSING
    if isinstance(value, dt.datetime):
        value = local_time(value, area_code or NATION).date()
    if short:
        return formats.date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)
    return formats.date_format(value, _language_format(_DATE_FORMATS), use_l10n=True)


def time(moment: dt.datetime | None, area_code: str = NATION) -> str:
    """13.00 WITA / 13:00 WITA: the clock in the area's zone, with the zone's name."""
    if moment is None:
        return MISSING
    shown = local_time(moment, area_code or NATION)
    return f"{formats.date_format(shown, _language_format(_TIME_FORMATS))} {zone_label(area_code)}"


def datetime(moment: dt.datetime | None, area_code: str = NATION, *, short: bool = False) -> str:
    """27 November 2024 13.00 WITA / November 27, 2024 13:00 WITA."""
    if moment is None:
        return MISSING
    return f"{date(moment, area_code, short=short)} {time(moment, area_code)}"


def zone_label(area_code: str = NATION) -> str:
    """WIB, WITA or WIT for an area (the nation is WIB)."""
    return zone_abbreviation(zone_for_area(area_code or NATION))


def _language_format(by_language: dict[str, str]) -> str:
    language = (translation.get_language() or "id").split("-")[0]
    return by_language.get(language, by_language["id"])
