"""Where `shared_read` is used (core/cache.py): the turnout area API keeps one shared copy for the nation
and a province, computed once however many readers ask, and none for smaller areas (read live)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.conftest import client_for
from sinergi.core.cache import cached_value
from sinergi.turnout.models import Checkpoint
from sinergi.turnout.setup import election_prepare

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world, personas):
    election_prepare(world["election"])
    return client_for(personas.national_admin)


def _queries(client, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(seen), response.json()


def test_the_national_turnout_is_one_shared_copy(admin):
    first_count, first = _queries(admin, "/api/v1/turnout/areas/ID")
    again_count, again = _queries(admin, "/api/v1/turnout/areas/ID")
    assert again == first
    assert again_count < first_count
    checkpoint = Checkpoint.objects.get(election__slug=first["election"], code=first["checkpoint"])
    assert cached_value(f"turnout:api:area:{checkpoint.pk}:ID") == first


def test_a_regency_is_read_live(admin):
    _count, body = _queries(admin, "/api/v1/turnout/areas/64.02")
    checkpoint = Checkpoint.objects.get(election__slug=body["election"], code=body["checkpoint"])
    assert cached_value(f"turnout:api:area:{checkpoint.pk}:64.02") is None
