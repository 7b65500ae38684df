"""core/cache.py `shared_read`: one loader at a time across everyone sharing the cache, stale values served
while one caller refreshes, failed loads that leave nothing behind. On real backends: this process's
memory (tests, the demo) and Redis (production) when a server answers on 127.0.0.1:6379."""

import threading
import uuid
import warnings
from collections.abc import Iterator
from functools import partial

import pytest
from django.core.cache.backends.base import BaseCache, CacheKeyWarning
from django.core.cache.backends.locmem import LocMemCache

from sinergi.core.cache import cached_value, safe_key, shared_read

REDIS_URL = "redis://127.0.0.1:6379/9"
THREADS = 12


def _redis_or_skip() -> BaseCache:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    from django.core.cache.backends.redis import RedisCache

    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"t{uuid.uuid4().hex[:8]}"})


_written: set[str] = set()


@pytest.fixture(params=["locmem", "redis"])
def backend(request) -> Iterator[BaseCache]:
    found = LocMemCache(f"shared-{uuid.uuid4().hex}", {}) if request.param == "locmem" else _redis_or_skip()
    yield found
    found.delete_many(list(_written))  # never clear(): on Redis that empties a database others may use
    _written.clear()


def _key(name: str) -> str:
    key = f"test:{name}"
    _written.update({f"shared:{safe_key(key)}", f"shared:{safe_key(key)}:lock"})
    return key


def _together(count: int, call) -> list:
    """`count` threads call `call()` at the same moment; their results (or exceptions), in order."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = call()
        except Exception as exc:  # the test looks at it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_a_miss_at_once_in_many_threads_loads_once_and_everyone_gets_the_value(backend):
    loads = []
    finish = threading.Event()

    def load() -> dict:
        loads.append(1)
        finish.wait(0.3)  # stands for a slow national aggregate; the others arrive meanwhile
        return {"turnout_pct": 71.5}

    key = _key("national")
    results = _together(
        THREADS, lambda: shared_read(key, load, fresh_seconds=60, stale_seconds=60, wait_seconds=20, cache=backend)
    )
    assert len(loads) == 1
    assert results == [{"turnout_pct": 71.5}] * THREADS
    assert shared_read(key, lambda: pytest.fail("fresh: no load"), fresh_seconds=60, stale_seconds=60, cache=backend)


def test_a_stale_value_is_served_while_one_caller_refreshes_it(backend):
    key = _key("stale")
    shared_read(key, lambda: "old", fresh_seconds=0, stale_seconds=60, cache=backend)  # stale at once
    started, release = threading.Event(), threading.Event()

    def slow_new() -> str:
        started.set()
        release.wait(20)
        return "new"

    refresher: list = []
    thread = threading.Thread(
        target=lambda: refresher.append(shared_read(key, slow_new, fresh_seconds=60, stale_seconds=60, cache=backend))
    )
    thread.start()
    assert started.wait(20)
    others = [
        shared_read(
            key, lambda: pytest.fail("one refresh at a time"), fresh_seconds=60, stale_seconds=60, cache=backend
        )
        for _ in range(3)
    ]
    release.set()
    thread.join(20)
    assert others == ["old"] * 3 and refresher == ["new"]
    assert (
        shared_read(key, lambda: pytest.fail("fresh now"), fresh_seconds=60, stale_seconds=60, cache=backend) == "new"
    )


def test_a_failed_load_stores_nothing_and_lets_the_next_caller_load(backend):
    key = _key("fails")

    def broken() -> str:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        shared_read(key, broken, fresh_seconds=60, stale_seconds=60, cache=backend)
    assert cached_value(key, cache=backend) is None
    assert backend.get(f"shared:{safe_key(key)}:lock") is None  # released
    assert (
        shared_read(key, lambda: "loaded", fresh_seconds=60, stale_seconds=60, wait_seconds=0, cache=backend)
        == "loaded"
    )


def test_a_failed_refresh_keeps_the_stale_value_for_the_others(backend):
    key = _key("refresh-fails")
    shared_read(key, lambda: "old", fresh_seconds=0, stale_seconds=60, cache=backend)
    with pytest.raises(RuntimeError):
        shared_read(
            key, lambda: (_ for _ in ()).throw(RuntimeError("x")), fresh_seconds=60, stale_seconds=60, cache=backend
        )
    assert cached_value(key, cache=backend) == "old"
    assert shared_read(key, lambda: "new", fresh_seconds=60, stale_seconds=60, cache=backend) == "new"


def test_when_the_loader_fails_a_waiting_caller_loads_itself(backend):
    key = _key("handover")
    started, release = threading.Event(), threading.Event()

    def fails_later() -> str:
        started.set()
        release.wait(20)
        raise RuntimeError("worker died")

    first: list = []
    thread = threading.Thread(
        target=lambda: first.append(
            _outcome(lambda: shared_read(key, fails_later, fresh_seconds=60, stale_seconds=60, cache=backend))
        )
    )
    thread.start()
    assert started.wait(20)
    threading.Timer(0.1, release.set).start()
    second = shared_read(key, lambda: "second", fresh_seconds=60, stale_seconds=60, wait_seconds=20, cache=backend)
    thread.join(20)
    assert isinstance(first[0], RuntimeError) and second == "second"
    assert cached_value(key, cache=backend) == "second"


def test_a_waiter_whose_time_is_up_loads_without_storing(backend):
    key = _key("held")
    backend.add(f"shared:{safe_key(key)}:lock", "someone else", 30)
    assert (
        shared_read(key, lambda: "mine", fresh_seconds=60, stale_seconds=60, wait_seconds=0.05, cache=backend) == "mine"
    )
    assert cached_value(key, cache=backend) is None  # the lock holder stores, not the impatient


def test_none_is_a_value_too(backend):
    key = _key("none")
    assert shared_read(key, lambda: None, fresh_seconds=60, stale_seconds=60, cache=backend) is None
    assert shared_read(key, lambda: pytest.fail("cached"), fresh_seconds=60, stale_seconds=60, cache=backend) is None


ODD = ["64.02 06", "wilayah/∑?x=1&y=ä", "line\nbreak", "%20", " ", "a" * 400, "a" * 399 + "b", "🗳️:tps:001"]


def test_keys_from_requests_are_safe_and_distinct(backend):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # memcached's rules, which LocMem checks too
        for i, raw in enumerate(ODD):
            assert shared_read(_key(raw), partial(int, i), fresh_seconds=60, stale_seconds=60, cache=backend) == i
        assert [cached_value(_key(raw), cache=backend) for raw in ODD] == list(range(len(ODD)))
    assert all(safe_key(raw).isascii() and " " not in safe_key(raw) and len(safe_key(raw)) <= 180 for raw in ODD)
    assert safe_key("%20") != safe_key(" ")


def _outcome(call):
    try:
        return call()
    except Exception as exc:  # the test looks at it
        return exc
