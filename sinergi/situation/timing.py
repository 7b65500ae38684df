from datetime import date, datetime

from django.utils import timezone

from sinergi.core.timezones import local_time


def local_today(area_code: str, now: datetime | None = None) -> date:
    """Today's date in the area's zone (WIB/WITA/WIT); the nation uses WIB."""
    return local_time(now or timezone.now(), area_code).date()
