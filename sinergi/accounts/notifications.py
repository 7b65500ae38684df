"""In-app notifications with an e-mail copy, and an optional webhook for a messaging gateway.

Modules call `notify(...)` inside their transaction; the e-mail and webhook go out after commit
as background tasks so a slow mail server never blocks a field report.
"""

import itertools
import json
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
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
            [
                Notification(user_id=u.pk, title=shown_title[:200], body=shown_body, url=url, source=source)
                for u in group
            ]
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


class Reader(NamedTuple):
    """A recipient of `notify_many`: what writing its notice needs, without loading the user."""

    pk: int
    username: str
    language: str


@dataclass(frozen=True)
class Notice:
    readers: Sequence[Reader]
    title: Text
    url: str = ""
    body: Text = ""


def notify_many(notices: Sequence[Notice], *, source: str, batch_size: int = 2000) -> int:
    """`notify(..., email=False)` for many notices at once (a national job): each notice's text written once
    per language among its readers, the rows written in bulk (one COPY on PostgreSQL, inserts of
    `batch_size` elsewhere), the webhook (when set) once per notice as `notify` sends it. Returns how many
    notifications were written."""
    rows = _rows(notices)
    if connection.vendor == "postgresql":
        written = _copy(rows, source)
    else:
        made = (Notification(user_id=u, title=t, body=b, url=url, source=source) for u, t, b, url in rows)
        written = 0
        while batch := list(itertools.islice(made, batch_size)):
            written += len(Notification.objects.bulk_create(batch))
    if getattr(settings, "SINERGI_NOTIFY_WEBHOOK", ""):
        for notice in notices:
            _webhook_after_commit(notice, source)
    return written


def _rows(notices: Sequence[Notice]) -> Iterator[tuple[int, str, str, str]]:
    """(user, title, body, url) per reader and notice; each text written in a pass per language."""
    for language in sorted({_language_of(r) for notice in notices for r in notice.readers}):
        with translation.override(language):
            for notice in notices:
                group = {r.pk for r in notice.readers if _language_of(r) == language}
                if group:
                    title, body = _written(notice.title)[:200], _written(notice.body)
                    yield from ((pk, title, body, notice.url) for pk in group)


def _copy(rows: Iterable[tuple[int, str, str, str]], source: str) -> int:
    # Model instances and per-field preparation cost more than the insert itself at national size.
    table = Notification._meta.db_table
    now, written = timezone.now(), 0
    sql = f"COPY {table} (user_id, title, body, url, source, created_at) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for user_id, title, body, url in rows:
            copy.write_row((user_id, title, body, url, source, now))
            written += 1
    return written


def _language_of(reader: Reader) -> str:
    return reader.language or settings.LANGUAGE_CODE


def _webhook_after_commit(notice: Notice, source: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):  # one message for the gateway, in Indonesian
        payload = {
            "title": _written(notice.title),
            "body": _written(notice.body),
            "url": notice.url,
            "source": source,
            "usernames": sorted({r.username for r in notice.readers}),
        }
    transaction.on_commit(partial(post_webhook.enqueue, payload))


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
