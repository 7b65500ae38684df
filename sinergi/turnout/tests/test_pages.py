import pytest

from sinergi.conftest import client_for
from sinergi.turnout.models import Report, Slot
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.tests.conftest import TPS, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(election, operator):
    items = [ReportInput(tps_code=TPS, checkpoint="11", voters=400)]  # over DPT: flagged and held
    items.append(ReportInput(tps_code="64.02.06.1001.002", checkpoint="11", voters=150))
    reports_submit(election=election, items=items, actor=operator, at=at(11, 5))
    return election


def test_board_shows_totals_children_and_chart(day, personas):
    response = client_for(personas.coordinator).get("/partisipasi/64.02/?titik=11")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="turnout-pct"' in body and "Tenggarong" in body and "Muara Badak" in body
    assert "<svg" in body and "hx-get" in body and "Target pemerintah 79,5 %" in body
    # The implausible 400 is held: one TPS counts, one waits for a supervisor, seven are missing.
    totals = response.context["summary"].totals
    assert (totals.reported_tps, totals.held_tps, totals.missing_tps, totals.voters) == (1, 1, 7, 150)
    assert '<div class="value" id="held-tps">1</div>' in body


def test_live_fragment_query_count_is_fixed(day, personas, django_assert_num_queries):
    client = client_for(personas.coordinator)
    client.get("/partisipasi/64.02/live/?titik=11")
    # session, user, memberships, area, elections, clock, checkpoints x3, tally freshness, stored roll-up,
    # children with their names, timeline, bell
    with django_assert_num_queries(13):
        response = client.get("/partisipasi/64.02/live/?titik=11")
    assert response.status_code == 200
    assert response.context["summary"].totals.reported_tps == 1
    assert "Tenggarong" in response.content.decode()


def test_missing_page_lists_unreported_tps(day, personas):
    response = client_for(personas.coordinator).get("/partisipasi/64.02.06.1001/belum-lapor/?titik=11")
    assert response.status_code == 200
    assert "64.02.06.1001.003" in response.content.decode()
    assert "64.02.06.1001.002" not in response.content.decode()


def test_review_page_accept_and_correct(day, personas, operator2):
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    page = client_for(personas.coordinator).get("/partisipasi/64.02/tinjau/?titik=11")
    assert f'data-slot="{slot.pk}"' in page.content.decode()
    response = client_for(operator2).post(f"/partisipasi/slot/{slot.pk}/koreksi/", {"voters": 210, "note": "C1 dicek"})
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.voters == 210 and not slot.flagged and slot.versions == 2


def test_web_report_form_stores_once_per_client_id(election, operator):
    client = client_for(operator)
    form = {"tps_code": TPS, "checkpoint": "09", "voters": "77", "client_id": "web:abc"}
    assert client.post("/partisipasi/64.02/lapor/?titik=09", form).status_code == 302
    assert client.post("/partisipasi/64.02/lapor/?titik=09", form).status_code == 302
    assert Report.objects.count() == 1 and Report.objects.get().channel == "web"


def test_report_form_shows_service_errors(election, operator):
    form = {"tps_code": "64.02.06.1001.099", "checkpoint": "09", "voters": "77"}
    response = client_for(operator).post("/partisipasi/64.02/lapor/", form)
    assert response.status_code == 200 and "64.02.06.1001.099" in response.content.decode()


def test_outreach_page_records_an_activity(election, personas):
    client = client_for(personas.field_officer)
    form = {
        "desa_code": "64.02.06.1001",
        "held_on": "2024-11-10",
        "target_group": "perempuan",
        "participants": "40",
        "organiser": "PKK Sukarame",
    }
    assert client.post("/partisipasi/64.02.06/sosialisasi/", form).status_code == 302
    assert "PKK Sukarame" in client.get("/partisipasi/64.02.06/sosialisasi/").content.decode()
