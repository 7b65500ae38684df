from datetime import date

import pytest

from sinergi.conftest import client_for
from sinergi.situation import providers, room
from sinergi.situation.tests.toy_modules import LIVE, QUIET, SAMPLE

pytestmark = pytest.mark.django_db


# Session, user, memberships, area, elections, children, breadcrumbs (asked at the nation too),
# latest report, unread notifications; plus a savepoint pair per provider call because tests
# run inside a transaction (in a request the calls run in autocommit without savepoints).
SAVEPOINTS = 3 * 2
ROOM_QUERIES = 9


@pytest.mark.parametrize("code", ["ID", "64", "64.02", "64.02.06"])
def test_room_page_costs_the_same_queries_at_every_level(world, personas, code, django_assert_num_queries):
    web = client_for(personas.national_admin)
    with providers.only({"quiet": QUIET}):
        web.get(f"/situasi/{code}/")  # warm the session
        with django_assert_num_queries(ROOM_QUERIES + SAVEPOINTS):
            page = web.get(f"/situasi/{code}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-key="quiet.n"' in html and "Hal kecil" in html


@pytest.mark.parametrize("code", ["ID", "64", "64.02"])
def test_api_costs_the_same_queries_at_every_level(world, personas, bearer, client, code, django_assert_num_queries):
    headers = bearer(personas.national_admin)
    with providers.only({"quiet": QUIET}), django_assert_num_queries(6 + SAVEPOINTS):
        response = client.get(f"/api/v1/situation/areas/{code}", headers=headers)
    body = response.json()
    assert response.status_code == 200 and body["area"]["code"] == code
    assert [a["title"] for a in body["attention"]] == ["Hal kecil"]
    assert body["sections"][0]["metrics"][0]["key"] == "quiet.n"


def test_with_the_real_meetings_provider_the_count_stays_pinned(world, personas, django_assert_num_queries):
    from sinergi.situation.providers import discover

    meetings = {p.name: p.source for p in discover()}["meetings"]
    web = client_for(personas.national_admin)
    with providers.only({"meetings": meetings}):
        web.get("/situasi/ID/")
        # meetings reads its state once: one count grouped per child (the card, the verdict and the
        # map) and one attention list; a savepoint pair for each of its four functions
        with django_assert_num_queries(ROOM_QUERIES + 4 * 2 + 2):
            html = web.get("/situasi/ID/").content.decode()
    assert "Rapat &amp; tindak lanjut" in html and 'data-key="meetings.open_actions"' in html


def test_api_summary_numbers(world, personas, bearer, client):
    with providers.only({"contoh": SAMPLE, "langsung": LIVE}):
        body = client.get("/api/v1/situation/areas/64.02", headers=bearer(personas.coordinator)).json()
    assert body["area"]["code"] == "64.02" and body["phase"] in {"before", "after", "voting_day"}
    sections = {s["module"]: s for s in body["sections"]}
    assert sections["contoh"]["metrics"][0] == {
        "key": "contoh.tps_assessed_pct",
        "label": "TPS sudah dinilai",
        "value": 87.5,
        "unit": "%",
        "status": "warn",
        "url": "/risiko/",
    }
    assert sections["langsung"]["live"] is True and sections["contoh"]["live"] is False
    assert [a["urgency"] for a in body["attention"]] == [90, 40]
    assert {c["code"]: c["values"]["contoh.rawan_pct"] for c in body["children"]} == {"64.02.05": 1.0, "64.02.06": 2.0}


def test_voting_day_puts_the_live_panel_first(world, personas, monkeypatch):
    monkeypatch.setattr(room, "local_today", lambda code: date(2024, 11, 27))
    with providers.only({"contoh": SAMPLE, "langsung": LIVE}):
        html = client_for(personas.coordinator).get("/situasi/64.02/").content.decode()
    assert "Hari pemungutan suara" in html
    assert html.index('id="live-panel"') < html.index('id="readiness-panel"')
    assert 'hx-trigger="every 60s"' in html


def test_before_voting_day_counts_down(world, personas, monkeypatch):
    monkeypatch.setattr(room, "local_today", lambda code: date(2024, 11, 20))
    with providers.only({"contoh": SAMPLE, "langsung": LIVE}):
        html = client_for(personas.coordinator).get("/situasi/64.02/").content.decode()
    assert "H-7" in html and "every 60s" not in html
    assert html.index('id="readiness-panel"') < html.index('id="live-panel"')


def test_field_officer_room_shows_only_their_branch(world, personas):
    web = client_for(personas.field_officer)
    assert web.get("/situasi/")["Location"] == "/situasi/64.02.06/"
    assert web.get("/situasi/64.02/").status_code == 404
    with providers.only({"contoh": SAMPLE}):
        assert web.get("/situasi/64.02.06/").status_code == 200
