"""Personal API tokens: `Authorization: Bearer sng_<prefix>_<secret>`. Only the hash is stored."""

import hashlib
import secrets
from typing import Any

from django.utils import timezone

from sinergi.accounts.models import ApiToken, User
from sinergi.core.history import history_record


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str = "cli", actor: Any = None) -> str:
    """Create a token and return its secret; it is never shown again."""
    prefix = secrets.token_hex(4)
    key = f"sng_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=_hash(key))
    history_record(
        object_type="accounts.apitoken",
        object_key=str(token.pk),
        action="created",
        actor=actor or user,
        changes={"user": user.username, "name": name},
    )
    return key


def token_user(key: str) -> User | None:
    """The active user a token belongs to, or None. Records when it was last used."""
    if not key.startswith("sng_"):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, token: ApiToken, actor: Any) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    history_record(object_type="accounts.apitoken", object_key=str(token.pk), action="revoked", actor=actor)
