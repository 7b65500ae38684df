from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from sinergi.accounts.roles import Role
from sinergi.incidents.models import Report
from sinergi.incidents.services import escalate_overdue, report_transition
from sinergi.incidents.tests.factories import TENGGARONG_DESA, kapolsek, report_make
from testkit.builders import user_make

T0 = datetime(2024, 11, 27, 1, 0, tzinfo=UTC)  # 09.00 WITA on voting day


@pytest.mark.django_db
def test_unacknowledged_report_climbs_the_area_tree_on_a_controlled_clock(personas):
    camat = user_make("camat", Role.COORDINATOR, "64.02.06", "pemkab-kukar")
    report = report_make(personas.field_officer, area_code=TENGGARONG_DESA, severity=4, now=T0)
    assert report.ack_due_at == T0 + timedelta(minutes=30)

    assert escalate_overdue(now=T0 + timedelta(minutes=29)) == 0
    assert escalate_overdue(now=T0 + timedelta(minutes=31)) == 1
    report.refresh_from_db()
    assert (report.escalation_level, report.escalation_area_code) == (1, "64.02.06")
    assert (
        report.escalated_agency is not None and report.escalated_agency.code == "polsek-tenggarong"
    )  # no parent in the small world: stays
    assert report.ack_due_at == T0 + timedelta(minutes=61)
    assert camat.notifications.filter(title__contains="Eskalasi").count() == 1

    assert escalate_overdue(now=T0 + timedelta(minutes=45)) == 0  # fresh window for the new level
    assert escalate_overdue(now=T0 + timedelta(minutes=62)) == 1
    report.refresh_from_db()
    assert (report.escalation_level, report.escalation_area_code) == (2, "64.02")
    assert personas.coordinator.notifications.filter(title__contains="Eskalasi").exists()
    # The kabupaten is the top: nothing more happens, however late.
    assert escalate_overdue(now=T0 + timedelta(days=3)) == 0
    assert list(report.events.filter(kind="escalated").values_list("note", flat=True))[1].startswith("belum ditanggapi")


@pytest.mark.django_db
def test_escalation_shows_in_needs_my_action_of_the_level_above(personas):
    report = report_make(personas.field_officer, category="lainnya", area_code=TENGGARONG_DESA, severity=3, now=T0)
    escalate_overdue(now=T0 + timedelta(hours=3))
    escalate_overdue(now=T0 + timedelta(hours=6))
    from sinergi.conftest import client_for

    page = client_for(personas.coordinator).get("/laporan/?tab=mine").content.decode()
    assert f"#{report.pk}" in page and "eskalasi 2" in page
    detail = client_for(personas.coordinator).get(f"/laporan/{report.pk}/").content.decode()
    assert 'id="report-escalation"' in detail


@pytest.mark.django_db
def test_acknowledged_reports_do_not_escalate_and_the_command_runs(personas, capsys):
    police = kapolsek()
    late = report_make(personas.field_officer, severity=4, now=T0)
    seen = report_make(personas.field_officer, severity=4, now=T0, description="Warga bentrok di depan balai desa")
    report_transition(report_id=seen.pk, actor=police, action="verify", now=T0 + timedelta(minutes=5))
    call_command("escalate_incidents")
    assert Report.objects.get(pk=late.pk).escalation_level == 1
    assert Report.objects.get(pk=seen.pk).escalation_level == 0
    assert "1 laporan dieskalasi" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_worker_escalates_every_minute_as_a_scheduled_job(personas):
    from sinergi.ops.models import JobRun
    from sinergi.ops.runner import tick
    from sinergi.ops.schedule import job_named

    job = job_named("incidents.escalate")
    assert job is not None
    late = report_make(personas.field_officer, severity=4, now=T0)
    tick(now=T0 + timedelta(hours=3, seconds=5), jobs=(job,))
    assert Report.objects.get(pk=late.pk).escalation_level == 1
    tick(now=T0 + timedelta(hours=3, seconds=40), jobs=(job,))  # same minute: the instance already ran
    assert JobRun.objects.filter(job="incidents.escalate").count() == 1
