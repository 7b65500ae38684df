"""`/healthz` (the process answers) and `/readyz` (database, migrations, a fresh worker heartbeat):
public, JSON, cheap (query counts pinned)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.ops import selectors
from sinergi.ops.models import WorkerHeartbeat


def beat(age: timedelta) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=f"w-{age.total_seconds()}", hostname="app1", pid=4242, started_at=now - age, seen_at=now - age
    )


def test_healthz_answers_without_the_database():
    # No django_db mark: any query would raise "Database access not allowed".
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_503_without_a_worker_heartbeat_and_200_with_one(django_assert_num_queries):
    anonymous = Client()
    with django_assert_num_queries(2):
        response = anonymous.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    assert body["checks"]["worker"] == {"ok": False, "detail": "no worker heartbeat within 120 s"}
    assert response["Cache-Control"].startswith("max-age=0")

    beat(timedelta(minutes=3))  # a worker that died three minutes ago does not count
    assert anonymous.get("/readyz").status_code == 503
    beat(timedelta(seconds=30))
    with django_assert_num_queries(2):
        response = anonymous.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == {"ok": True, "detail": "1 worker(s) seen within 120 s"}


@pytest.mark.django_db
def test_readyz_names_unapplied_migrations():
    from django.db.migrations.recorder import MigrationRecorder

    beat(timedelta(seconds=5))
    assert Client().get("/readyz").status_code == 200
    newest = dict(selectors.migration_leaves())["ops"]
    # The database forgets the ops app's newest migration, as after a deploy that skipped `migrate`
    # (the test's transaction puts the row back).
    assert MigrationRecorder.Migration.objects.filter(app="ops", name=newest).delete()[0] == 1
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "detail": "1 app(s) with unapplied migrations"}


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_database(monkeypatch):
    from django.db import OperationalError
    from django.db.migrations.recorder import MigrationRecorder

    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1 port 6432 failed")

    monkeypatch.setattr(MigrationRecorder, "migration_qs", property(refuse))
    response = Client().get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": False, "detail": "unreachable (OperationalError)"}
    assert "6432" not in response.content.decode()  # public: no host or port


def test_the_leaves_are_the_newest_migration_of_each_app():
    leaves = dict(selectors.migration_leaves())
    from pathlib import Path

    newest = max(p.stem for p in (Path(__file__).parents[1] / "migrations").glob("0*.py"))
    assert leaves["ops"] == newest
    assert "accounts" in leaves and "django_tasks_database" in leaves
