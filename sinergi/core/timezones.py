"""Indonesian time zones. The zone follows the province: WIB, WITA or WIT."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"

ZONE_ABBREVIATIONS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}

# Province code -> zone. Provinces not listed (Sumatra, Java, Kalbar, Kalteng) are WIB.
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def zone_for_area(code: str) -> str:
    """The IANA zone of an area, from the province part of its Kemendagri code."""
    province = code.split(".", 1)[0]
    if province in _WITA_PROVINCES:
        return WITA
    if province in _WIT_PROVINCES:
        return WIT
    return WIB


def local_time(moment: datetime, area_code: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone_for_area(area_code)))


def local_today(area_code: str, now: datetime | None = None) -> date:
    """Today's date in the area's zone; the nation (`ID`) uses WIB."""
    from django.utils import timezone

    return local_time(now or timezone.now(), area_code).date()


def zone_abbreviation(zone: str) -> str:
    return ZONE_ABBREVIATIONS.get(zone, zone)
