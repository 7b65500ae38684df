"""SINERGI_CACHE_URL picks the cache: bounded memory of the process, shared Redis, or the database table."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from sinergi.settings import _cache


def test_without_a_url_each_process_keeps_a_bounded_cache():
    config = _cache("")
    assert config["BACKEND"].endswith("LocMemCache")
    assert config["OPTIONS"]["MAX_ENTRIES"] == 5000


def test_a_redis_url_shares_the_cache_between_processes():
    config = _cache("redis://127.0.0.1:6379/1")
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_db_uses_the_cache_table():
    assert _cache("db://")["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_anything_else_stops_the_app_at_start():
    with pytest.raises(ImproperlyConfigured, match="memcached"):
        _cache("memcached://127.0.0.1:11211")


def test_the_redis_backend_can_be_loaded():
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache("redis://127.0.0.1:1/0", {})
    assert cache._cache._lib.__name__ == "redis"  # type: ignore[attr-defined]  # the package is installed
