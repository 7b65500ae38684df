import pytest
from django.core.cache import cache

from sinergi.grants.tests.factories import grant_users


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Public pages cache by a generation counter; the test database is reset between tests, the cache is not.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def users(personas):
    return grant_users()
