"""Cached reads that every process shares and one process at a time refreshes (issue 17: no stampede).

`shared_read(key, load, fresh_seconds=..., stale_seconds=...)` keeps `(value, fresh_until)` in Django's
cache (`settings.CACHES`: local memory per process in the demo and tests, Redis shared by every worker in
production). A fresh entry is returned as it is. A stale one is returned too, except to the one caller
that wins the refresh lock (`cache.add`, atomic on the Redis, local-memory and database backends): that
caller loads, stores and returns the new value while everyone else keeps reading the stale one. On a
full miss one caller loads; the others poll for its value for at most `wait_seconds` and only then load
themselves. A loader that raises stores nothing and releases the lock, so the next caller tries again.

The stale window costs little freshness: whoever comes first after `fresh_until` gets a newly loaded
value; only the callers that arrive while that load runs see the older one.
"""

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache

T = TypeVar("T")

LOCK_SECONDS = 30  # a refresh that takes longer than this lets another caller try (a crashed worker)
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.025
MAX_KEY_LENGTH = 180  # memcached's 250, less room for the prefix, version, "shared:" and ":lock"


def safe_key(key: str) -> str:
    """A cache key for any text (codes, slugs and paths from requests): printable ASCII without spaces,
    bounded length; a long key keeps a readable head and a hash of the whole."""
    quoted = quote(key, safe=":/.-_,=")
    if len(quoted) <= MAX_KEY_LENGTH:
        return quoted
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{quoted[: MAX_KEY_LENGTH - len(digest) - 1]}#{digest}"


def shared_read(
    key: str,
    load: Callable[[], T],
    *,
    fresh_seconds: float,
    stale_seconds: float,
    wait_seconds: float = WAIT_SECONDS,
    cache: BaseCache | None = None,
) -> T:
    """The value under `key`, loaded by `load()` at most once at a time across every process that
    shares the cache. Callers may get a value up to `stale_seconds` past fresh while one refreshes."""
    backend = cache if cache is not None else default_cache
    entry_key = f"shared:{safe_key(key)}"
    lock_key = f"{entry_key}:lock"
    found = backend.get(entry_key)
    if found is not None:
        value, fresh_until = found
        if time.time() < fresh_until:
            return value
        token = _lock(backend, lock_key)
        if token is None:
            return value  # another caller is refreshing it
        return _fill(backend, entry_key, lock_key, token, load, fresh_seconds, stale_seconds)
    return _after_miss(backend, entry_key, lock_key, load, fresh_seconds, stale_seconds, wait_seconds)


def _after_miss(
    backend: BaseCache,
    entry_key: str,
    lock_key: str,
    load: Callable[[], T],
    fresh_seconds: float,
    stale_seconds: float,
    wait_seconds: float,
) -> T:
    deadline = time.monotonic() + wait_seconds
    while True:
        token = _lock(backend, lock_key)
        if token is not None:
            return _fill(backend, entry_key, lock_key, token, load, fresh_seconds, stale_seconds)
        if time.monotonic() >= deadline:
            return load()  # the filler is slow or gone: answer this request without storing
        time.sleep(POLL_SECONDS)
        found = backend.get(entry_key)
        if found is not None:
            return found[0]


def _fill(
    backend: BaseCache,
    entry_key: str,
    lock_key: str,
    token: str,
    load: Callable[[], T],
    fresh_seconds: float,
    stale_seconds: float,
) -> T:
    try:
        value = load()
        entry = (value, time.time() + fresh_seconds)
        backend.set(entry_key, entry, timeout=max(1, round(fresh_seconds + stale_seconds)))
        return value
    finally:
        _unlock(backend, lock_key, token)


def _lock(backend: BaseCache, lock_key: str) -> str | None:
    token = uuid.uuid4().hex
    return token if backend.add(lock_key, token, timeout=LOCK_SECONDS) else None


def _unlock(backend: BaseCache, lock_key: str, token: str) -> None:
    # Not atomic (no compare-and-delete in Django's cache API): only a lock that outlived LOCK_SECONDS
    # and was taken over in between could be dropped early, which costs one extra load, never a wrong value.
    if backend.get(lock_key) == token:
        backend.delete(lock_key)


def forget(key: str, cache: BaseCache | None = None) -> None:
    """Drop the entry: the next caller loads (one at a time, as on any miss)."""
    (cache if cache is not None else default_cache).delete(f"shared:{safe_key(key)}")


def cached_value(key: str, cache: BaseCache | None = None) -> Any:
    """The stored value or None (for tests and tools)."""
    found = (cache if cache is not None else default_cache).get(f"shared:{safe_key(key)}")
    return None if found is None else found[0]
