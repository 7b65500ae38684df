import pytest

from sinergi.accounts.roles import Role
from testkit.builders import user_make


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def observer(personas):
    return user_make("pemantau", Role.OBSERVER, "64.02", "kesbangpol-kukar")
