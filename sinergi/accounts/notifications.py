"""In-app notifications with an e-mail copy, and an optional webhook for a messaging gateway.

Modules call `notify(...)` inside their transaction; the e-mail and webhook go out after commit
as background tasks so a slow mail server never blocks a field report.
"""

import json
import urllib.request
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from sinergi.accounts.models import Membership, Notification, User

# A notification's text: a string, or a function that writes it in the active language. A function is
# called once per language among the recipients, so each person reads it in their own language.
Text = str | Callable[[], str]


def notify(
    *, users: Iterable[User], title: Text, body: Text = "", url: str = "", source: str = "", email: bool = True
) -> list[Notification]:
    recipients = {u.pk: u for u in users if u.is_active}
    created: list[Notification] = []
    for language, group in _by_language(recipients.values()).items():
        with translation.override(language):
            shown_title, shown_body = _written(title), _written(body)
        created += Notification.objects.bulk_create(
            [Notification(user_id=u.pk, title=shown_title[:200], body=shown_body, url=url, source=source) for u in group]
        )
        addresses = [u.email for u in group if u.email]
        if email and addresses:
            text = f"{shown_body}\n\n{url}".strip()
            transaction.on_commit(partial(send_notification_email.enqueue, addresses, shown_title, text))
    if getattr(settings, "SINERGI_NOTIFY_WEBHOOK", ""):
        with translation.override(settings.LANGUAGE_CODE):  # one message for the gateway, in Indonesian
            payload = {
                "title": _written(title),
                "body": _written(body),
                "url": url,
                "source": source,
                "usernames": sorted(u.username for u in recipients.values()),
            }
        transaction.on_commit(lambda: post_webhook.enqueue(payload))
    return created


def _by_language(users: Iterable[User]) -> dict[str, list[User]]:
    groups: dict[str, list[User]] = {}
    for user in users:
        groups.setdefault(user.preferred_language or settings.LANGUAGE_CODE, []).append(user)
    return groups


def _written(text: Text) -> str:
    return text() if callable(text) else text


def agency_users(agency_ids: Iterable[int], roles: Iterable[str] | None = None) -> list[User]:
    """The active members of these agencies (optionally only some roles)."""
    memberships = Membership.objects.filter(agency_id__in=list(agency_ids), user__is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return list(User.objects.filter(pk__in=memberships.values("user_id")))


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@task()
def send_notification_email(addresses: list[str], subject: str, text: str) -> None:
    send_mail(f"[Sinergi] {subject}", text, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False)


@task()
def post_webhook(payload: dict) -> None:
    request = urllib.request.Request(
        settings.SINERGI_NOTIFY_WEBHOOK,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10):
        pass
