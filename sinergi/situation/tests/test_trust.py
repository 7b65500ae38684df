"""Issue 11 for the situation room: the room and its reports come through one rule each."""

import pytest

from sinergi.conftest import client_for
from sinergi.situation import providers
from sinergi.situation.permissions import DAILY_REPORT
from sinergi.situation.services import daily_report_generate
from sinergi.situation.tests.fakes import RISK

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, personas):
    with providers.only({"risk": RISK}):
        return daily_report_generate(area_code="64.02", actor=personas.coordinator)


@pytest.mark.parametrize("day", ["2026-13-45", "kemarin", "2024-02-30"])
def test_a_report_day_that_is_not_a_date_is_404_not_a_crash(report, personas, day):
    assert client_for(personas.coordinator).get(f"/situasi/64.02/laporan/{day}.pdf").status_code == 404


def test_reports_are_read_only_where_the_room_is(report, personas, observer):
    day = f"{report.report_date:%Y-%m-%d}"
    assert client_for(observer).get(f"/situasi/64.02/laporan/{day}.xlsx").status_code == 200
    assert client_for(personas.field_officer).get(f"/situasi/64.02/laporan/{day}.pdf").status_code == 404
    assert client_for(personas.outsider).get(f"/situasi/64.02/laporan/{day}.pdf").status_code == 404
    assert list(DAILY_REPORT.visible(personas.field_officer)) == []
    assert client_for(observer).post("/situasi/64.02/laporan/buat/").status_code == 403


def test_the_room_of_an_area_above_the_users_scope_is_not_served(world, personas, bearer, client):
    headers = bearer(personas.field_officer)  # 64.02.06
    with providers.only({"risk": RISK}):
        assert client.get("/api/v1/situation/areas/64.02", headers=headers).status_code == 404
        assert client.get("/api/v1/situation/areas/64.02/reports", headers=headers).status_code == 404
        own = client.get("/api/v1/situation/areas/64.02.06", headers=headers)
    assert own.status_code == 200
    assert {c["code"] for c in own.json()["children"]} <= {"64.02.06.1001", "64.02.06.2001"}
