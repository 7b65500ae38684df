import pytest

from sinergi.accounts.roles import Role
from sinergi.areas.models import Area
from sinergi.conftest import client_for
from sinergi.turnout import selectors, tally
from sinergi.turnout.models import Checkpoint
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.tests.conftest import at
from testkit.builders import user_make

pytestmark = pytest.mark.django_db

REPORTS = {
    "64.02.06.1001.001": 100,
    "64.02.06.1001.002": 150,
    "64.02.06.2001.001": 200,
    "64.02.05.2001.003": 120,
}


@pytest.fixture
def reported(election, operator):
    items = [ReportInput(tps_code=code, checkpoint="11", voters=v) for code, v in REPORTS.items()]
    reports_submit(election=election, items=items, actor=operator, at=at(11, 10))
    return election


def turnout(code: str, election):
    return selectors.area_turnout(
        Area.objects.get(code=code), election, Checkpoint.objects.get(election=election, code="11")
    )


def test_regency_totals(reported):
    totals = turnout("64.02", reported).totals
    assert (totals.expected_tps, totals.reported_tps, totals.missing_tps) == (9, 4, 5)
    assert totals.voters == 570
    assert totals.dpt_reported == 4 * 290
    assert totals.turnout_pct == round(100 * 570 / 1160, 2)


def test_roll_up_equals_the_sum_of_children(reported, personas):
    regency = turnout("64.02", reported).totals
    children = selectors.children_turnout(
        personas.coordinator, Area.objects.get(code="64.02"), Checkpoint.objects.get(election=reported, code="11")
    )
    assert {c.code for c in children} == {"64.02.05", "64.02.06"}
    for field in ("expected_tps", "reported_tps", "flagged_tps", "voters", "dpt_reported"):
        assert sum(getattr(c, field) for c in children) == getattr(regency, field)


def test_desa_children_are_its_tps(reported, personas):
    children = selectors.children_turnout(
        personas.coordinator,
        Area.objects.get(code="64.02.06.1001"),
        Checkpoint.objects.get(election=reported, code="11"),
    )
    assert [(c.code, c.voters) for c in children] == [
        ("64.02.06.1001.001", 100),
        ("64.02.06.1001.002", 150),
        ("64.02.06.1001.003", 0),
    ]


def test_area_turnout_is_the_freshness_check_and_one_query(reported, django_assert_num_queries):
    area = Area.objects.get(code="64.02")
    checkpoint = Checkpoint.objects.get(election=reported, code="11")
    tally.refresh()  # the worker's pulse: the stored tallies are current
    with django_assert_num_queries(2):
        result = selectors.area_turnout(area, reported, checkpoint)
    assert (result.totals.reported_tps, result.totals.voters) == (4, sum(REPORTS.values()))


def test_projection_is_scaled_to_the_final_by_the_usual_pace(reported):
    result = turnout("64.02", reported)
    assert result.projection.pct is not None
    assert result.projection.low <= result.projection.pct <= result.projection.high
    # at 11.00 the usual share is 0.74, so the pace for 79.5 % is 58.83 %
    assert result.pace_pct == pytest.approx(79.5 * 0.74)


def test_missing_slots_list_unreported_tps_with_contacts(reported, kpu_agency, personas):
    area = Area.objects.get(code="64.02.06")
    page = selectors.missing_slots(
        personas.coordinator, area, Checkpoint.objects.get(election=reported, code="11"), after=None
    )
    assert [row.slot.tps_id for row in page.items] == [
        "64.02.06.1001.003",
        "64.02.06.2001.002",
        "64.02.06.2001.003",
    ]


def test_missing_slot_names_the_kpps_who_reported_before(election, operator):
    reports_submit(
        election=election,
        items=[ReportInput(tps_code="64.02.06.1001.003", checkpoint="09", voters=50)],
        actor=operator,
        at=at(9, 5),
    )
    page = selectors.missing_slots(
        operator,
        Area.objects.get(code="64.02.06.1001"),
        Checkpoint.objects.get(election=election, code="11"),
        after=None,
    )
    row = next(r for r in page.items if r.slot.tps_id == "64.02.06.1001.003")
    assert row.last_reporter == {"name": "kpu.kukar", "phone": "0812-1111-2222"}


def test_only_those_who_chase_missing_reports_get_the_kpps_reporters_phone(
    election, operator, personas, bearer, client
):
    """An observer (pemantau) reads the missing list but not a KPPS member's private phone; KPU and the
    coordinator, who call, do. Page and API alike."""
    operator.first_name = "Siti"
    operator.save()
    reports_submit(
        election=election,
        items=[ReportInput(tps_code="64.02.06.1001.003", checkpoint="09", voters=50)],
        actor=operator,
        at=at(9, 5),
    )
    observer = user_make("pemantau", Role.OBSERVER, "64.02", "pemkab-kukar")
    page_url = "/partisipasi/64.02.06.1001/belum-lapor/?titik=11"
    api_url = "/api/v1/turnout/areas/64.02.06.1001/missing?checkpoint=11"
    assert operator.phone not in client_for(observer).get(page_url).content.decode()
    assert operator.phone not in client.get(api_url, headers=bearer(observer)).content.decode()
    for caller in (personas.coordinator, operator):
        assert operator.phone in client_for(caller).get(page_url).content.decode()
        assert operator.phone in client.get(api_url, headers=bearer(caller)).content.decode()
