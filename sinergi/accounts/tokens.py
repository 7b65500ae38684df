"""Personal API tokens: `Authorization: Bearer sng_<prefix>_<secret>`. Only the hash is stored.

A token works until it expires (`SINERGI_TOKEN_DAYS` after creation, 90 by default), its owner or
an operator revokes it (the tokens page, `sinergi token revoke PREFIX`), or its owner's password
changes (every token of the user is revoked then, see `User.save`).
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from sinergi.accounts.models import ApiToken, User
from sinergi.core.history import history_record


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str = "cli", actor: Any = None, days: int | None = None) -> str:
    """Create a token and return its secret; it is never shown again."""
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # prefixes name tokens on the CLI
        prefix = secrets.token_hex(4)
    key = f"sng_{prefix}_{secrets.token_urlsafe(32)}"
    lifetime = timedelta(days=settings.SINERGI_TOKEN_DAYS if days is None else days)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=_hash(key), expires_at=timezone.now() + lifetime
    )
    history_record(
        object_type="accounts.apitoken",
        object_key=str(token.pk),
        action="created",
        actor=actor or user,
        changes={"user": user.username, "name": name, "expires_at": token.expires_at.isoformat()},
    )
    return key


def token_user(key: str) -> User | None:
    """The active user a live token belongs to, or None (unknown, revoked or expired). Records when
    it was last used."""
    if not key.startswith("sng_"):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    _touch(token, now)
    return token.user


def _touch(token: ApiToken, now: Any) -> None:
    """Record the use at most every SINERGI_TOKEN_TOUCH_SECONDS: a phone reporting every minute (or a
    burst of reports on one token) costs one write per interval, not one per request. The guard in
    the WHERE makes concurrent requests that all saw a stale time write once between them."""
    interval = timedelta(seconds=settings.SINERGI_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is not None and now - token.last_used_at < interval:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - interval)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """Every token of the user, newest first, revoked and expired ones included (the tokens page, the CLI)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_revoke(*, token: ApiToken, actor: Any, channel: str = "web") -> bool:
    """Revoke the token; False when it already was."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        history_record(
            object_type="accounts.apitoken", object_key=str(token.pk), action="revoked", actor=actor, channel=channel
        )
    return bool(revoked)


def tokens_revoke_all(*, user: User, reason: str, actor: Any = None) -> int:
    """Revoke every live token of the user (a password change); returns how many."""
    live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list("pk", flat=True))
    if not live:
        return 0
    ApiToken.objects.filter(pk__in=live).update(revoked_at=timezone.now())
    for pk in live:
        history_record(object_type="accounts.apitoken", object_key=str(pk), action="revoked", actor=actor, note=reason)
    return len(live)
