"""Where each role lands after signing in: leaders on their area's situation room, field roles in
the field app, the others on the home page (situation.landing, and the login it follows)."""

import pytest
from django.test import Client

from sinergi.accounts.roles import Role
from sinergi.conftest import client_for
from sinergi.situation.landing import FIELD, HOME, ROOM, Landing, landing_for
from testkit.builders import PASSWORD, user_make


@pytest.mark.parametrize(
    ("memberships", "expected"),
    [
        ([("admin", "ID")], Landing(ROOM, "ID")),
        ([("pimpinan", "64.02")], Landing(ROOM, "64.02")),
        ([("koordinator", "64.02.06"), ("koordinator", "64")], Landing(ROOM, "64")),
        ([("pemantau", "64.02"), ("pimpinan", "64.02.06")], Landing(ROOM, "64.02.06")),
        ([("petugas_lapangan", "64.02.06.1004"), ("operator_kpu", "64.02.06.1004")], Landing(FIELD)),
        ([("petugas_lapangan", "64.02.06")], Landing(FIELD)),
        ([("operator_kpu", "64.02")], Landing(HOME)),
        ([("operator_kpu", "64.02.06.1004"), ("pemantau", "64.02")], Landing(HOME)),
        ([("perencana_polri", "64.02")], Landing(HOME)),
        ([], Landing(HOME)),
    ],
)
def test_landing_rule(memberships, expected):
    assert landing_for(memberships) == expected


def _login(username: str) -> str:
    response = Client().post("/akun/masuk/", {"username": username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_leaders_land_on_their_areas_room_and_field_roles_in_the_field_app(world, personas):
    user_make("sekda", Role.LEADER, "64.02", "pemkab-kukar")
    user_make("ptps", Role.FIELD_OFFICER, "64.02.06.1001", "kesbangpol-kukar")
    user_make("kabagops", Role.POLICE_PLANNER, "64.02", "kesbangpol-kukar")
    assert _login("sekda") == "/situasi/64.02/"
    assert _login(personas.coordinator.username) == "/situasi/64.02/"
    assert _login(personas.national_admin.username) == "/situasi/ID/"
    assert _login("ptps") == _login(personas.field_officer.username) == "/lapangan/"
    assert _login("kabagops") == "/"


@pytest.mark.django_db
def test_the_home_page_lists_the_areas_of_those_who_do_not_lead(world, personas):
    page = client_for(personas.outsider).get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Wilayah tugas Anda" in html and "Samarinda" in html
