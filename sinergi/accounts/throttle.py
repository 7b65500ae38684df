"""Login throttling per (account, address) and per address, counted in the database so that
every app process sees the same numbers."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from sinergi.accounts.models import LoginFailure


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE["window_seconds"])


def login_blocked(username: str, address: str | None) -> bool:
    limits = settings.LOGIN_THROTTLE
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=username.lower(), address=address).count() >= limits["per_account"]:
        return True
    return address is not None and recent.filter(address=address).count() >= limits["per_address"]


def login_failed(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=username.lower(), address=address)


def login_succeeded(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(username=username.lower(), address=address).delete()
