"""Login throttling, counted in the database so that every app process sees the same numbers.

Three counts over the window (`settings.LOGIN_THROTTLE`):
- `per_account`: failures for one account from one client address (a user mistyping);
- `per_account_total`: failures for one account from any address (a distributed guess at one
  account: many addresses, few tries each);
- `per_address`: failures from one client address for any account (one machine trying many names).

The address is the one `sinergi.core.clients.client_address` trusts (forwarded only behind
`SINERGI_TRUSTED_PROXIES`), so a client cannot dodge the address counts by sending its own
`X-Forwarded-For`.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from sinergi.accounts.models import LoginFailure

DEFAULT_PER_ACCOUNT_TOTAL = 20


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE["window_seconds"])


def login_blocked(username: str, address: str | None) -> bool:
    limits = settings.LOGIN_THROTTLE
    username = username.lower()
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(username=username, address=address).count() >= limits["per_account"]:
        return True
    if recent.filter(username=username).count() >= limits.get("per_account_total", DEFAULT_PER_ACCOUNT_TOTAL):
        return True
    return address is not None and recent.filter(address=address).count() >= limits["per_address"]


def login_failed(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=username.lower(), address=address)


def login_succeeded(username: str, address: str | None) -> None:
    LoginFailure.objects.filter(username=username.lower(), address=address).delete()
