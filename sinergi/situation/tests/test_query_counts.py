"""The room reads each module's state once per request, with one pinned query count at every level.

With the whole Kukar demo loaded (every module has data), the room page, the room API and the public
page each cost exactly the same number of queries for the nation, a province, Kukar, a kecamatan and
a desa (`core.situation.module_state`: one state per module, loaded in a fixed count whatever the
level and whatever rows exist). Caches are cleared before each measured request, so every level
pays the same cold reads (election lookups, public summary) and nothing is hidden by a warm entry.
"""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.tokens import token_create
from sinergi.areas.models import Area
from sinergi.core.situation import Metric, module_state, situation_reads
from sinergi.core.tests.conftest import demo  # noqa: F401  (the demo, loaded once for this module)
from sinergi.situation import providers
from sinergi.situation.room import SystemViewer, room_build

# A savepoint pair per provider call: tests run inside a transaction (a real request runs without
# them). The room asks clock of turnout, readiness/verdict/attention of all seven modules and
# map_layers of five; the public page public_summary of four and public_items of one.
ROOM_CALLS, PUBLIC_CALLS = 1 + 3 * 7 + 5, 4 + 1
# The room: who reads (session, user, memberships), the area, the room's own reads (elections, the
# replay clock, the election covering the area, the places below), each module's state once (risk 3,
# deployment 2, grants 4, meetings 2, turnout 4 with the tallies' freshness, incidents 3, reach 1);
# the page adds breadcrumbs, the latest report and the unread notifications. The API reads a token.
ROOM_PAGE_QUERIES = 30 + 2 * ROOM_CALLS
ROOM_API_QUERIES = 26 + 2 * ROOM_CALLS
PUBLIC_PAGE_QUERIES = 12 + 2 * PUBLIC_CALLS  # no session: the area, its children, the public states
KECAMATAN = "64.02.06"  # Tenggarong


@pytest.fixture(scope="module")
def levels(demo) -> list[str]:  # noqa: F811
    desa = Area.objects.filter(parent_id=KECAMATAN).order_by("code").values_list("code", flat=True)[0]
    return ["ID", "64", "64.02", KECAMATAN, desa]


def _count(client: Client, url: str, **headers: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.django_db
def test_the_room_page_costs_the_same_at_every_level(demo, levels):  # noqa: F811
    web = Client()
    web.force_login(demo.users["admin"])
    web.get("/situasi/ID/")  # the session
    counts = {code: _count(web, f"/situasi/{code}/") for code in levels}
    assert counts == dict.fromkeys(levels, ROOM_PAGE_QUERIES)


@pytest.mark.django_db
def test_the_room_api_costs_the_same_at_every_level(demo, levels):  # noqa: F811
    headers = {"Authorization": f"Bearer {token_create(user=demo.users['admin'])}"}
    Client().get("/api/v1/situation/areas/ID", headers=headers)  # the token's first use is recorded
    counts = {code: _count(Client(), f"/api/v1/situation/areas/{code}", **headers) for code in levels}
    assert counts == dict.fromkeys(levels, ROOM_API_QUERIES)


@pytest.mark.django_db
def test_the_public_page_costs_the_same_at_every_level(levels):
    counts = {code: _count(Client(), f"/situasi/publik/{code}/") for code in levels}
    assert counts == dict.fromkeys(levels, PUBLIC_PAGE_QUERIES)


@pytest.mark.django_db
def test_each_module_reads_its_state_once_per_request(demo, levels, monkeypatch):  # noqa: F811
    from sinergi.deployment import situation as deployment
    from sinergi.grants import situation as grants
    from sinergi.incidents import situation as incidents
    from sinergi.meetings import situation as meetings
    from sinergi.reach import situation as reach
    from sinergi.risk import situation as risk
    from sinergi.turnout import situation as turnout

    loads: list[tuple[str, str, object]] = []

    def counted(name, load):
        def wrapper(user, area, *rest):
            loads.append((name, getattr(area, "code", area), getattr(user, "pk", user)))
            return load(user, area, *rest)

        return wrapper

    for module in (risk, grants, incidents, meetings, turnout):
        monkeypatch.setattr(module, "_load", counted(module.MODULE, module._load))
    monkeypatch.setattr(deployment, "_load", counted("deployment", deployment._load))
    original_reach = reach.selectors.readiness_totals

    def reach_counted(area):
        loads.append(("reach", area.code, 0))
        return original_reach(area)

    monkeypatch.setattr(reach.selectors, "readiness_totals", reach_counted)

    web = Client()
    web.force_login(demo.users["admin"])
    assert web.get("/situasi/64.02/").status_code == 200
    modules = [name for name, _, _ in loads]
    assert sorted(modules) == sorted(["risk", "deployment", "grants", "meetings", "turnout", "incidents", "reach"])

    loads.clear()
    cache.clear()
    assert Client().get("/situasi/publik/64.02/").status_code == 200
    # Public numbers: incidents' tallies and turnout's totals, read once each for the public reader.
    assert sorted(loads) == [("incidents", "64.02", None), ("turnout", "64.02", None)]


# --- the memo itself: never shared across areas, readers or builds --------------------------------


def _counting(loads: list):
    def load(user, area) -> int:
        loads.append((area.code, id(user)))
        return len(loads)

    def readiness(user, area):
        state = module_state("hitung", user, area, lambda: load(user, area))
        return [Metric("hitung.n", "Hitungan", state)]

    def verdict(user, area):
        module_state("hitung", user, area, lambda: load(user, area))

    return SimpleNamespace(readiness=readiness, verdict=verdict, attention=verdict)


def test_the_memo_is_keyed_by_reader_and_area():
    one, other = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    kukar, bontang = SimpleNamespace(code="64.02"), SimpleNamespace(code="64.74")
    loads: list = []

    def load():
        loads.append(1)
        return len(loads)

    with situation_reads():
        assert module_state("m", one, kukar, load) == module_state("m", one, kukar, load) == 1
        assert module_state("m", other, kukar, load) == 2  # another reader
        assert module_state("m", one, bontang, load) == 3  # another area
        assert module_state("n", one, kukar, load) == 4  # another module
        assert module_state("m", None, kukar, load) == 5  # the public
        # Two system readers (no primary key) are never taken for one another.
        assert module_state("m", SystemViewer(), kukar, load) != module_state("m", SystemViewer(), kukar, load)
    # Outside a request or a build every call reads again.
    assert module_state("m", one, kukar, load) != module_state("m", one, kukar, load)


@pytest.mark.django_db
def test_a_job_building_many_rooms_never_reuses_a_state(demo):  # noqa: F811
    loads: list = []
    reader = SystemViewer()
    kukar, bontang = Area.objects.get(code="64.02"), Area.objects.get(code="64.74")
    with providers.only({"hitung": _counting(loads)}), situation_reads():  # one long-lived process scope
        first = room_build(reader, kukar)
        room_build(reader, bontang)
        again = room_build(reader, kukar)
    # One read per build (readiness, verdict and attention share it), none carried to the next build.
    assert [code for code, _ in loads] == ["64.02", "64.74", "64.02"]
    assert first.readiness[0].metrics[0].value == 1 and again.readiness[0].metrics[0].value == 3
