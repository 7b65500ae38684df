"""The worker's side of the queue: claim due messages within each provider's rate, send them, retry
with exponential backoff, record receipts monotonically, and fall back to the next channel.

Rates: `SINERGI_MESSAGING_RATES[provider] = (count, seconds)`: at most `count` attempts start in any
`seconds` window. The window is counted from `last_attempt_at` in the database, under a row lock per
provider (`ProviderLock`), so several workers together still keep the limit.
"""

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sinergi.messaging import channels
from sinergi.messaging.adapters import Permanent, Sent, Transient, adapter_for
from sinergi.messaging.models import (
    STATUS_RANK,
    EarlyReceipt,
    MessageEvent,
    OutboundMessage,
    ProviderLock,
    Status,
)

LEASE = timedelta(minutes=2)
RECORD_CHUNK = 50  # a worker that dies mid-send frees its messages after this
MAX_BACKOFF = timedelta(hours=1)


class Clock(Protocol):
    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


class RealClock:
    def now(self) -> datetime:
        return timezone.now()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    by_provider: dict[str, int] = field(default_factory=dict)

    def add(self, other: "Outcome") -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        for name, count in other.by_provider.items():
            self.by_provider[name] = self.by_provider.get(name, 0) + count


def backoff(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s, ... after the 1st, 2nd, 3rd failed attempt, capped at an hour."""
    return min(timedelta(seconds=settings.SINERGI_MESSAGING_BACKOFF_SECONDS * 2 ** (attempts - 1)), MAX_BACKOFF)


def rate_of(provider: str) -> tuple[int, int]:
    count, seconds = settings.SINERGI_MESSAGING_RATES.get(provider, (10, 1))
    return int(count), int(seconds)


def _due(now: datetime):
    return OutboundMessage.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _claim(provider: str, now: datetime) -> list[OutboundMessage]:
    """Take as many due messages as the provider's window allows now, under its lock."""
    count, seconds = rate_of(provider)
    with transaction.atomic():
        ProviderLock.objects.get_or_create(provider=provider)
        ProviderLock.objects.select_for_update().get(provider=provider)
        used = OutboundMessage.objects.filter(
            provider=provider, last_attempt_at__gt=now - timedelta(seconds=seconds)
        ).count()
        budget = count - used
        if budget <= 0:
            return []
        ids = list(
            _due(now)
            .filter(provider=provider)
            .order_by("-priority", "next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:budget]
        )
        OutboundMessage.objects.filter(id__in=ids).update(claimed_until=now + LEASE, last_attempt_at=now)
    return list(OutboundMessage.objects.filter(id__in=ids).order_by("-priority", "next_attempt_at", "id"))


def next_capacity(provider: str, now: datetime) -> datetime:
    """When the provider's window next has room (now if it has some already)."""
    count, seconds = rate_of(provider)
    window = now - timedelta(seconds=seconds)
    recent = [
        moment
        for moment in OutboundMessage.objects.filter(provider=provider, last_attempt_at__gt=window)
        .order_by("-last_attempt_at")
        .values_list("last_attempt_at", flat=True)[:count]
        if moment is not None
    ]
    if len(recent) < count:
        return now
    return recent[-1] + timedelta(seconds=seconds)


Attempt = tuple[OutboundMessage, Sent | None, Transient | Permanent | None]


def attempt(message: OutboundMessage) -> Attempt:
    """The HTTP part of one send (no database access, so it runs in a thread)."""
    try:
        return message, adapter_for(message.provider).send(message), None
    except (Transient, Permanent) as problem:
        return message, None, problem
    except Exception as error:  # an adapter bug must not strand the claimed batch
        return message, None, Transient(f"{type(error).__name__}: {error}"[:300])


def record(outcome: Attempt, now: datetime) -> str:
    """Store what one attempt did: 'sent', 'retry' or 'failed'."""
    message, result, problem = outcome
    message.attempts += 1
    if isinstance(problem, Transient):
        if message.attempts >= settings.SINERGI_MESSAGING_MAX_ATTEMPTS:
            _finish_failed(message, f"{problem.reason} (after {message.attempts} attempts)", now)
            return "failed"
        wait = backoff(message.attempts)
        if problem.retry_after:
            wait = max(wait, timedelta(seconds=problem.retry_after))
        OutboundMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts, reason=problem.reason[:300], next_attempt_at=now + wait, claimed_until=None
        )
        MessageEvent.objects.create(
            message=message, status=Status.QUEUED, reason=problem.reason[:300], source="worker", at=now
        )
        return "retry"
    if isinstance(problem, Permanent) or result is None:
        _finish_failed(message, problem.reason if problem else "no answer", now)
        return "failed"
    with transaction.atomic():
        message.provider_message_id = result.provider_message_id
        stored = {
            "attempts": message.attempts,
            "provider_message_id": result.provider_message_id,
            "claimed_until": None,
            "reason": "",
        }
        apply_status(message, result.status, "", now, source="worker", also=stored)
        _apply_early_receipts(message)
    return "sent"


def deliver_one(message: OutboundMessage, now: datetime) -> str:
    """Send one claimed message and record what happened: 'sent', 'retry' or 'failed'."""
    return record(attempt(message), now)


def _finish_failed(message: OutboundMessage, reason: str, now: datetime) -> None:
    with transaction.atomic():
        message.claimed_until = None
        also = {"attempts": message.attempts, "claimed_until": None}
        apply_status(message, Status.FAILED, reason, now, source="worker", also=also)


def apply_status(
    message: OutboundMessage,
    status: str,
    reason: str,
    at: datetime,
    *,
    source: str,
    also: dict[str, Any] | None = None,
) -> bool:
    """Move a message forward: never to a lower rank, never out of delivered/failed. Every report is
    kept as an event (applied or not). A failure starts the fallback at once. `also` are other fields
    stored in the same UPDATE (the worker's provider id, attempts, lease). Returns whether it applied."""
    current = OutboundMessage.objects.select_for_update().get(pk=message.pk)
    for name, value in (also or {}).items():
        setattr(current, name, value)
    terminal = current.status in (Status.DELIVERED, Status.FAILED)
    applies = not terminal and STATUS_RANK[Status(status)] > STATUS_RANK[Status(current.status)]
    MessageEvent.objects.create(
        message=current, status=status, reason=reason[:300], source=source, applied=applies, at=at
    )
    if not applies:
        if also:
            current.save(update_fields=list(also))
        return False
    current.status = status
    stamp = {Status.SENT: "sent_at", Status.DELIVERED: "delivered_at", Status.FAILED: "failed_at"}[Status(status)]
    setattr(current, stamp, at)
    fields = ["status", stamp]
    if status == Status.DELIVERED and current.sent_at is None:
        current.sent_at = at
        fields.append("sent_at")
    if status == Status.FAILED:
        current.reason = reason[:300]
        fields.append("reason")
    current.save(update_fields=[*fields, *(also or {})])
    message.status = current.status
    if status == Status.FAILED and not current.fallback_done:
        fall_back(current.pk, at)
    if status in (Status.DELIVERED, Status.FAILED) and current.purpose in SENSITIVE_PURPOSES:
        redact(OutboundMessage.objects.filter(pk=current.pk, fallback_done=True))
    return True


# Texts that hold a secret (a login code, an activation link) are kept only until the message is done.
SENSITIVE_PURPOSES = frozenset({"otp", "activation"})
REDACTED = "[isi disembunyikan: berisi kode atau tautan rahasia]"
REDACT_AFTER = timedelta(hours=1)


def redact(messages: Any) -> int:
    return messages.exclude(text=REDACTED).update(text=REDACTED)


def redact_done(now: datetime) -> int:
    """Secret-bearing texts that left more than an hour ago (e-mail and unreceipted SMS stay `sent`)."""
    return redact(
        OutboundMessage.objects.filter(
            purpose__in=SENSITIVE_PURPOSES, created_at__lt=now - REDACT_AFTER, fallback_done=True
        ).exclude(status=Status.QUEUED)
    )


def _our_id(provider: str, provider_message_id: str) -> OutboundMessage | None:
    """The Android gateway carries our own id (`sinergi-<pk>`): found even before the send was recorded."""
    if provider == "android" and provider_message_id.startswith("sinergi-"):
        pk = provider_message_id.removeprefix("sinergi-")
        if pk.isdigit():
            return OutboundMessage.objects.filter(pk=int(pk), provider="android").first()
    return None


def _apply_early_receipts(message: OutboundMessage) -> None:
    """Receipts that arrived before the worker had stored the provider's id for this message."""
    if not message.provider_message_id:
        return
    early = list(
        EarlyReceipt.objects.filter(
            provider=message.provider, provider_message_id=message.provider_message_id
        ).order_by("at", "id")
    )
    for receipt in early:
        apply_status(message, receipt.status, receipt.reason, receipt.at, source="callback")
    if early:
        EarlyReceipt.objects.filter(pk__in=[r.pk for r in early]).delete()


def record_receipt(
    provider: str, provider_message_id: str, status: str, reason: str = "", at: datetime | None = None
) -> OutboundMessage | None:
    """A gateway's status callback. Unknown ids are ignored (None); duplicates and late ones change nothing."""
    message = OutboundMessage.objects.filter(provider=provider, provider_message_id=provider_message_id).first()
    message = message or _our_id(provider, provider_message_id)
    if message is None:
        # The callback overtook the worker's own record of the send: kept until that id is stored.
        if provider_message_id:
            EarlyReceipt.objects.create(
                provider=provider,
                provider_message_id=provider_message_id,
                status=status,
                reason=reason[:300],
                at=at or timezone.now(),
            )
        return None
    with transaction.atomic():
        apply_status(message, status, reason, at or timezone.now(), source="callback")
    return message


def deliver_due(now: datetime | None = None) -> Outcome:
    """One pass: every provider sends as many due messages as its window allows now."""
    now = now or timezone.now()
    outcome = Outcome()
    providers = list(_due(now).values_list("provider", flat=True).distinct().order_by())
    threads = max(1, int(settings.SINERGI_MESSAGING_SEND_THREADS))
    for provider in providers:
        claimed = _claim(provider, now)
        # HTTP in parallel (a gateway's latency, not its rate, would otherwise bound the send rate), the
        # results stored by this thread, a chunk per transaction (one commit, not one per message).
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for start in range(0, len(claimed), RECORD_CHUNK):
                chunk = claimed[start : start + RECORD_CHUNK]
                attempts = list(pool.map(attempt, chunk)) if threads > 1 else [attempt(m) for m in chunk]
                with transaction.atomic():
                    for one in attempts:
                        with transaction.atomic():
                            result = record(one, now)
                        if result == "sent":
                            outcome.sent += 1
                        elif result == "retry":
                            outcome.retried += 1
                        else:
                            outcome.failed += 1
        if claimed:
            outcome.by_provider[provider] = outcome.by_provider.get(provider, 0) + len(claimed)
    return outcome


def drain(*, run_for: float = 50.0, max_sleep: float | None = None, clock: Clock | None = None) -> Outcome:
    """Pass after pass until nothing is due or `run_for` seconds went by, sleeping until the earliest
    provider window has room. Falls back overdue messages first. With `max_sleep`, it returns instead of
    waiting longer than that (the worker is shared: a 25-a-minute gateway's next window is the next run's)."""
    clock = clock or RealClock()
    started = clock.now()
    deadline = started + timedelta(seconds=run_for)
    total = Outcome()
    while True:
        now = clock.now()
        fall_back_due(now)
        redact_done(now)
        outcome = deliver_due(now)
        total.add(outcome)
        due = list(_due(clock.now()).values_list("provider", flat=True).distinct().order_by())
        if not due:
            future = _next_due_at()
            if future is None or future >= deadline:
                return total
            wake = future
        else:
            wake = min(next_capacity(p, clock.now()) for p in due)
        if wake >= deadline:
            return total
        pause = (wake - clock.now()).total_seconds()
        if max_sleep is not None and pause > max_sleep:
            return total
        if pause > 0:
            clock.sleep(pause)


def _next_due_at() -> datetime | None:
    return (
        OutboundMessage.objects.filter(status=Status.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def fall_back_due(now: datetime | None = None) -> int:
    """Messages whose `fallback_at` passed without a delivery get a copy on the next channel."""
    now = now or timezone.now()
    ids = list(
        OutboundMessage.objects.filter(fallback_done=False, fallback_at__lte=now)
        .exclude(status=Status.DELIVERED)
        .values_list("id", flat=True)[:500]
    )
    return sum(1 for pk in ids if fall_back(pk, now) is not None)


def tried_channels(message: OutboundMessage) -> set[str]:
    tried = {message.channel}
    origin = message
    while origin.fallback_of_id is not None:
        origin = OutboundMessage.objects.get(pk=origin.fallback_of_id)
        tried.add(origin.channel)
    return tried


def fall_back(pk: int, now: datetime) -> OutboundMessage | None:
    """Queue the message on the user's next reachable channel not tried yet (once per message)."""
    from sinergi.messaging.services import is_opted_out

    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().get(pk=pk)
        if message.fallback_done or message.status == Status.DELIVERED:
            return None
        message.fallback_done = True
        message.save(update_fields=["fallback_done"])
        if message.user is None:
            return None
        tried = tried_channels(message)
        options: Iterable[tuple[str, str]] = [
            (c, a)
            for c, a in channels.reachable(message.user)
            if c not in tried and not is_opted_out(user=message.user, channel=c, address=a)
        ]
        option = next(iter(options), None)
        if option is None:
            return None
        channel, address = option
        delay = (message.fallback_at - message.created_at) if message.fallback_at else None
        copy = OutboundMessage.objects.create(
            channel=channel,
            provider=channels.provider_for(channel),
            address=address,
            user=message.user,
            text=message.text,
            purpose=message.purpose,
            priority=message.priority,
            area_code=message.area_code,
            batch=message.batch,
            next_attempt_at=now,
            fallback_of=message,
            fallback_at=now + delay if delay else None,
            fallback_done=delay is None,
        )
        MessageEvent.objects.create(
            message=message,
            status=message.status,
            reason=f"fallback to {channel} (#{copy.pk})",
            source="fallback",
            applied=False,
            at=now,
        )
    return copy


def summary(messages: Any) -> dict[str, int]:
    from django.db.models import Count

    return {row["status"]: row["n"] for row in messages.values("status").annotate(n=Count("id")).order_by()}
