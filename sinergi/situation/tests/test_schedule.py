from datetime import UTC, datetime

import pytest

from sinergi.meetings.tasks import next_hour, schedule_reminders
from sinergi.situation.tasks import generate_morning_reports, next_morning, schedule_morning_reports

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_next_morning_is_six_wib():
    # 22.00 UTC is 05.00 WIB: this morning at 06.00 WIB (23.00 UTC); an hour later: tomorrow.
    assert next_morning(datetime(2024, 11, 26, 22, tzinfo=UTC)) == datetime(2024, 11, 26, 23, tzinfo=UTC)
    assert next_morning(datetime(2024, 11, 26, 23, 30, tzinfo=UTC)) == datetime(2024, 11, 27, 23, tzinfo=UTC)
    assert next_hour(datetime(2024, 11, 27, 5, 59, 59, tzinfo=UTC)) == datetime(2024, 11, 27, 6, tzinfo=UTC)


def test_immediate_backend_cannot_defer_so_nothing_is_scheduled():
    assert schedule_morning_reports() is None and schedule_reminders() is None


@pytest.mark.django_db
def test_chains_are_queued_once_on_the_database_backend(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    now = datetime(2024, 11, 26, 22, tzinfo=UTC)
    assert schedule_morning_reports(now) == schedule_morning_reports(now) == datetime(2024, 11, 26, 23, tzinfo=UTC)
    assert schedule_reminders(now) == datetime(2024, 11, 26, 23, tzinfo=UTC)
    schedule_reminders(now)
    queued = DBTaskResult.objects.filter(status="READY")
    assert queued.filter(task_path=generate_morning_reports.module_path).count() == 1
    assert queued.count() == 2
    assert queued.get(task_path=generate_morning_reports.module_path).args_kwargs["args"] == [True]
