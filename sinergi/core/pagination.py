"""Keyset (cursor) pagination by an ordered unique key: constant cost at any depth, unlike OFFSET."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

MAX_PAGE_SIZE = 500


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def keyset_page(queryset: QuerySet, *, key: str, after: str | None, limit: int) -> Page:
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    if after:
        queryset = queryset.filter(**{f"{key}__gt": after})
    items = list(queryset.order_by(key)[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return Page(items, str(getattr(items[-1], key)) if more and items else None)
