"""Concurrent retries with the same client id: one request stores, the rest get the stored result.

Each thread posts through the API with its own PostgreSQL connection, all released at a barrier.
SQLite serialises writers, so this runs on PostgreSQL only (as in CI).
"""

import pytest
from django.db import connection
from django.test import Client

from sinergi.meetings.models import ActionItem, ProgressNote
from sinergi.meetings.tests.factories import action_make, decision_make, meeting_make
from testkit.builders import race as concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6
ROUNDS = 5


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite serialises writers")


def race(url: str, body: dict, headers: dict) -> list[tuple[int, dict]]:
    def post() -> tuple[int, dict]:
        response = Client().post(url, body, content_type="application/json", headers=headers)
        return response.status_code, response.json()

    results, failed = concurrently([post] * THREADS, timeout=60)
    assert not failed, failed
    return results


def _one_stored_and_the_rest_replayed(results: list[tuple[int, dict]]) -> None:
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * (THREADS - 1) + [201], results
    bodies = [body for _, body in results]
    assert all(body == bodies[0] for body in bodies)


def test_concurrent_status_retries_store_one_note(personas, bearer):
    boss = personas.coordinator
    decision = decision_make(boss, meeting_make(boss))
    headers = bearer(boss)
    for round_ in range(ROUNDS):
        action = action_make(boss, decision, title=f"Aksi {round_}")
        body = {"status": "done", "note": "selesai", "client_id": f"note-{round_}"}
        _one_stored_and_the_rest_replayed(race(f"/api/v1/action-items/{action.pk}/status", body, headers))
        assert ProgressNote.objects.filter(client_id=f"note-{round_}").count() == 1
        assert action.notes.count() == 1


def test_concurrent_action_creates_store_one_action(personas, bearer):
    boss = personas.coordinator
    decision = decision_make(boss, meeting_make(boss))
    headers = bearer(boss)
    for round_ in range(ROUNDS):
        body = {
            "title": f"Renpam {round_}",
            "agency": "polres-kukar",
            "area_code": "64.02",
            "due_date": "2024-10-31",
            "client_id": f"action-{round_}",
        }
        _one_stored_and_the_rest_replayed(race(f"/api/v1/decisions/{decision.pk}/action-items", body, headers))
        assert ActionItem.objects.filter(client_id=f"action-{round_}").count() == 1
