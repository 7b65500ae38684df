from datetime import UTC, date, datetime

import pytest
from django.core import mail

from sinergi.accounts.models import Notification
from sinergi.meetings.models import ReminderSent
from sinergi.meetings.reminders import reminders_send
from sinergi.meetings.tests.factories import action_make, decision_make, meeting_make

pytestmark = pytest.mark.django_db


def at(day: str, hour_utc: int = 1) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour_utc, tzinfo=UTC)


@pytest.fixture
def action(personas):
    boss = personas.coordinator
    return action_make(boss, decision_make(boss, meeting_make(boss)), due=date(2024, 9, 30))


def test_no_reminder_long_before_the_due_date(action, personas):
    result = reminders_send(now=at("2024-09-20"))
    assert (result.due_soon, result.overdue) == (0, 0)
    assert not Notification.objects.exists()


def test_due_soon_then_overdue_once_per_local_day(action, personas, django_capture_on_commit_callbacks):
    personas.field_officer.email = "panwascam@example.org"
    personas.field_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(now=at("2024-09-28"))
    assert first.due_soon == 1
    note = Notification.objects.get(user=personas.field_officer)
    assert "jatuh tempo" in note.title and note.url == f"/rapat/tindak-lanjut/{action.pk}/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["panwascam@example.org"]

    again = reminders_send(now=at("2024-09-28", 10))
    assert (again.due_soon, again.overdue) == (0, 0)
    assert Notification.objects.filter(user=personas.field_officer).count() == 1

    late = reminders_send(now=at("2024-10-02"))
    assert late.overdue == 1
    newest = Notification.objects.filter(user=personas.field_officer).first()
    assert newest is not None and "lewat tenggat 2 hari" in newest.title
    assert ReminderSent.objects.filter(action=action).count() == 2


def test_local_day_decides_not_utc(action):
    # 2024-09-30 17:00 UTC is already 1 October 01.00 WITA: the item is overdue there.
    result = reminders_send(now=datetime(2024, 9, 30, 17, tzinfo=UTC))
    assert result.overdue == 1
    assert ReminderSent.objects.get().on_date == date(2024, 10, 1)


def test_finished_items_are_not_reminded(action, personas):
    from sinergi.meetings.services import action_status_update

    action_status_update(actor=personas.coordinator, action=action, status="done", note="ok")
    assert reminders_send(now=at("2024-10-05")).overdue == 0


def test_command_and_task_run_the_same_reminders(action, capsys):
    from django.core.management import call_command

    call_command("send_action_reminders", "--at", "2024-10-03T09:00+08:00")
    assert "lewat tenggat: 1" in capsys.readouterr().out
    from sinergi.meetings.tasks import send_action_reminders

    # The task uses the real clock, long after the due date: a new day, a new overdue reminder.
    assert send_action_reminders.enqueue().return_value == {"due_soon": 0, "overdue": 1, "skipped": 0}
