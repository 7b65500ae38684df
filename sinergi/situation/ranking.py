"""How the room orders "needs attention now" (pure: items and a clock in, items out).

What can still be acted on now comes first (an escalated incident no one has answered, TPS missing
at the last checkpoint, a tranche late before voting day), then the rest by urgency. An item that
has been due for long sinks: past `FRESH_DAYS` its urgency halves every `HALF_LIFE_DAYS`, so a
follow-up two years overdue no longer outranks this morning's incident and drops out of the top.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable

from sinergi.core.situation import AttentionItem

FRESH_DAYS = 14
HALF_LIFE_DAYS = 30


def age_days(item: AttentionItem, today: dt.date) -> int:
    if item.since is None:
        return 0
    since = item.since.date() if isinstance(item.since, dt.datetime) else item.since
    return max(0, (today - since).days)


def effective_urgency(item: AttentionItem, today: dt.date) -> float:
    """The urgency after ageing: unchanged for FRESH_DAYS, then halved every HALF_LIFE_DAYS."""
    stale_days = age_days(item, today) - FRESH_DAYS
    if stale_days <= 0:
        return float(item.urgency)
    return item.urgency * 0.5 ** (stale_days / HALF_LIFE_DAYS)


def acts_now(item: AttentionItem, today: dt.date) -> bool:
    """Actionable and not yet old: a voting day two years ago is no longer something to act on."""
    return item.actionable and age_days(item, today) <= FRESH_DAYS


def ranked(items: Iterable[AttentionItem], today: dt.date, limit: int | None = None) -> list[AttentionItem]:
    """The items in the room's order, each carrying its urgency after ageing, so the number a reader
    sees is the one the list is sorted by."""
    order = sorted(items, key=lambda a: (not acts_now(a, today), -effective_urgency(a, today), a.title))
    kept = order if limit is None else order[:limit]
    return [dataclasses.replace(a, urgency=round(effective_urgency(a, today))) for a in kept]
