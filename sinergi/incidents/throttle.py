"""The public form's throttle: submissions per address per hour, counted in the database so that
every app process sees the same numbers."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from sinergi.incidents.models import PublicIntakeHit

WINDOW = timedelta(hours=1)


def limit() -> int:
    return int(getattr(settings, "SINERGI_PUBLIC_REPORTS_PER_HOUR", 5))


def public_intake_blocked(address: str | None, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return PublicIntakeHit.objects.filter(address=address, at__gt=now - WINDOW).count() >= limit()


def public_intake_counted(address: str | None, now: datetime | None = None) -> None:
    now = now or timezone.now()
    PublicIntakeHit.objects.filter(at__lte=now - WINDOW).delete()
    PublicIntakeHit.objects.create(address=address, at=now)
