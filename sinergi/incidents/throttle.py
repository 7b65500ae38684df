"""Throttles of the public pages, counted per client address (`core.clients.client_address`, which
trusts a forwarded address only behind a configured proxy) in the database, so that every app
process sees the same numbers: form submissions per hour, tracking-code lookups per hour."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from sinergi.incidents.models import PublicIntakeHit

WINDOW = timedelta(hours=1)
REPORT, TRACKING = "report", "track"


def limit(kind: str = REPORT) -> int:
    if kind == TRACKING:
        return int(getattr(settings, "SINERGI_PUBLIC_TRACKING_PER_HOUR", 60))
    return int(getattr(settings, "SINERGI_PUBLIC_REPORTS_PER_HOUR", 5))


def _blocked(kind: str, address: str | None, now: datetime | None) -> bool:
    now = now or timezone.now()
    return PublicIntakeHit.objects.filter(kind=kind, address=address, at__gt=now - WINDOW).count() >= limit(kind)


def _counted(kind: str, address: str | None, now: datetime | None) -> None:
    now = now or timezone.now()
    PublicIntakeHit.objects.filter(at__lte=now - WINDOW).delete()
    PublicIntakeHit.objects.create(kind=kind, address=address, at=now)


def public_intake_blocked(address: str | None, now: datetime | None = None) -> bool:
    return _blocked(REPORT, address, now)


def public_intake_counted(address: str | None, now: datetime | None = None) -> None:
    _counted(REPORT, address, now)


def tracking_blocked(address: str | None, now: datetime | None = None) -> bool:
    return _blocked(TRACKING, address, now)


def tracking_counted(address: str | None, now: datetime | None = None) -> None:
    _counted(TRACKING, address, now)
