"""Concurrent retries of one plan create (same client id, same body) make one plan; every retry gets
it back, none gets a 500. Real concurrency needs PostgreSQL (SQLite serialises writers), as in CI."""

import functools

import pytest
from django.db import connection

from sinergi.core.errors import ClientIdReused
from sinergi.deployment.models import Plan
from sinergi.deployment.services import plan_create
from testkit.builders import race as concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite serialises writers")


def race(actor, bodies: list[dict]) -> tuple[list[int], list[Exception]]:
    def create(body: dict) -> int:
        return plan_create(actor=actor, client_id="retry-1", **body).pk

    return concurrently([functools.partial(create, body) for body in bodies])


def test_concurrent_retries_make_one_plan_and_a_different_body_is_a_conflict(units, planner_users):
    body = {"area_code": "64.02", "title": "Sekali", "options": {"solver": "greedy"}}
    other = {**body, "title": "Lain"}
    made, failed = race(planner_users["polri"], [body, body, body, other])
    assert Plan.objects.filter(client_id="retry-1").count() == 1
    stored = Plan.objects.get(client_id="retry-1")
    if stored.title == "Sekali":
        assert made == [stored.pk] * 3 and len(failed) == 1 and isinstance(failed[0], ClientIdReused)
    else:  # the other body won the race: every "Sekali" retry is the conflict
        assert made == [stored.pk] and len(failed) == 3
        assert all(isinstance(e, ClientIdReused) for e in failed)
