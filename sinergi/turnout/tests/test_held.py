"""Implausible reports are held: stored, flagged, and out of totals and the projection until a
supervisor of the KPU or Bawaslu side (never their reporter) confirms or corrects them."""

import pytest
from django.contrib.messages import WARNING, get_messages

from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure
from sinergi.areas.models import Area
from sinergi.conftest import client_for
from sinergi.core.errors import Forbidden, NotFound
from sinergi.turnout import selectors
from sinergi.turnout.models import Checkpoint, Report, Slot
from sinergi.turnout.services import ReportInput, reports_submit, slot_accept, slot_correct
from sinergi.turnout.tests.conftest import TPS, at
from testkit.builders import user_make

pytestmark = pytest.mark.django_db

OTHER = "64.02.06.1001.002"  # DPT 290, like every TPS of the small world
THIRD = "64.02.06.1001.003"


@pytest.fixture(params=[True, False], ids=["fast-path", "locked-path"])
def path(request, settings):
    """Both write paths: the single-report fast path and the locked batch path."""
    settings.SINERGI_TURNOUT_FAST_PATH = request.param
    return request.param


@pytest.fixture
def bawaslu(world):
    return user_make("bawaslu.kukar", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar")


def submit(election, actor, *reports: tuple[str, str, int], minute: int = 5):
    items = [ReportInput(tps_code=tps, checkpoint=cp, voters=n) for tps, cp, n in reports]
    return reports_submit(election=election, items=items, actor=actor, at=at(11, minute))


def kukar_at_11(election):
    area = Area.objects.get(code="64.02")
    return selectors.area_turnout(area, election, Checkpoint.objects.get(election=election, code="11"))


def test_a_typo_of_5000_voters_is_held_out_of_totals_and_projection(election, operator, path):
    submit(election, operator, (OTHER, "11", 200))
    before = kukar_at_11(election)
    [result] = submit(election, operator, (TPS, "11", 5000))
    assert result.held and {f["rule"] for f in result.flags} == {"over_registered"}
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    assert slot.held and slot.flagged and slot.voters == 5000  # stored as typed, never edited
    after = kukar_at_11(election)
    assert (after.totals.reported_tps, after.totals.held_tps, after.totals.voters) == (1, 1, 200)
    assert after.totals.turnout_pct == before.totals.turnout_pct == pytest.approx(68.97)
    assert after.projection.pct == pytest.approx(before.projection.pct)


def test_a_batch_holds_only_its_implausible_reports(election, operator):
    results = submit(election, operator, (TPS, "11", 5000), (OTHER, "11", 200))
    assert [r.held for r in results] == [True, False]
    assert kukar_at_11(election).totals.voters == 200


def test_confirmed_numbers_count_from_then_on(election, operator, bawaslu, path):
    submit(election, operator, (TPS, "11", 295))  # within DPT 290 plus its 2.5 % reserve (297)
    assert not Slot.objects.get(tps_id=TPS, checkpoint__code="11").held
    submit(election, operator, (OTHER, "11", 320))  # over 297: held
    slot = Slot.objects.get(tps_id=OTHER, checkpoint__code="11")
    assert kukar_at_11(election).totals.voters == 295
    slot_accept(slot_id=slot.pk, actor=bawaslu, note="dicek ke KPPS: DPTb banyak")
    totals = kukar_at_11(election).totals
    assert (totals.voters, totals.held_tps, totals.reported_tps) == (615, 0, 2)


def test_a_correction_counts_and_the_typo_stays_in_history(election, operator, bawaslu, path):
    submit(election, operator, (TPS, "11", 5000))
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    corrected = slot_correct(slot_id=slot.pk, voters=200, actor=bawaslu, note="salah ketik, C1 = 200")
    assert not corrected.held
    assert kukar_at_11(election).totals.voters == 200
    assert list(Report.objects.filter(slot=slot).order_by("version").values_list("voters", flat=True)) == [5000, 200]


def test_an_impossible_jump_and_a_disagreement_are_held_a_late_report_counts(election, operator, operator2, path):
    reports_submit(
        election=election, items=[ReportInput(tps_code=TPS, checkpoint="09", voters=10)], actor=operator, at=at(9, 5)
    )
    [jump] = submit(election, operator, (TPS, "11", 250))  # +240 of DPT 290 in two hours
    assert jump.held and "implausible_jump" in {f["rule"] for f in jump.flags}
    submit(election, operator, (OTHER, "11", 150))
    [disagreeing] = submit(election, operator2, (OTHER, "11", 120), minute=9)
    assert disagreeing.held and [f["rule"] for f in disagreeing.flags] == ["disagreement"]
    [late] = reports_submit(
        election=election, items=[ReportInput(tps_code=THIRD, checkpoint="11", voters=100)], actor=operator, at=at(15)
    )
    assert not late.held and [f["rule"] for f in late.flags] == ["off_schedule"]
    totals = kukar_at_11(election).totals
    assert (totals.reported_tps, totals.held_tps, totals.flagged_tps, totals.voters) == (1, 2, 3, 100)


def test_a_held_number_is_no_baseline_for_the_next_checkpoint(election, operator):
    submit(election, operator, (TPS, "11", 5000))
    [at13] = reports_submit(
        election=election, items=[ReportInput(tps_code=TPS, checkpoint="13", voters=210)], actor=operator, at=at(13, 5)
    )
    assert at13.flags == [] and not at13.held


@pytest.mark.parametrize("reviewer", ["kpu", "bawaslu", "panwascam"])
def test_kpu_bawaslu_and_panwascam_review_in_their_area(election, operator2, personas, bawaslu, reviewer):
    people = {
        "kpu": user_make("kpu.kabupaten", Role.KPU_OPERATOR, "64.02", "kpu-kukar"),
        "bawaslu": bawaslu,
        # The demo's Panwascam account: the field-officer role at the Panwascam of Tenggarong.
        "panwascam": personas.field_officer,
    }
    submit(election, operator2, (TPS, "11", 5000))
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    accepted = slot_accept(slot_id=slot.pk, actor=people[reviewer], note="dicek")
    assert not accepted.held and not accepted.flagged


def test_panwascam_reviews_only_its_own_kecamatan(election, operator, world):
    agency_ensure(code="panwascam-muara-badak", name="Panwascam", kind=AgencyKind.PANWASCAM, area_code="64.02.05")
    other = user_make("panwascam.mb", Role.FIELD_OFFICER, "64.02.05", "panwascam-muara-badak")
    submit(election, operator, (TPS, "11", 5000))
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    with pytest.raises(NotFound):
        slot_accept(slot_id=slot.pk, actor=other)
    with pytest.raises(NotFound):
        slot_correct(slot_id=slot.pk, voters=200, actor=other, note="x")


def test_a_reporter_never_confirms_a_number_it_reported_even_when_another_repeats_it(
    election, operator, operator2, client, path
):
    """Two KPU accounts typing the same impossible number: neither confirms it (each reported it)."""
    submit(election, operator2, (TPS, "11", 5000))
    submit(election, operator, (TPS, "11", 5000), minute=7)  # the current version is now the operator's
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    assert slot.held and slot.current is not None and slot.current.reporter == operator
    for reporter in (operator, operator2):
        with pytest.raises(Forbidden):
            slot_accept(slot_id=slot.pk, actor=reporter)
        with pytest.raises(Forbidden):
            slot_correct(slot_id=slot.pk, voters=200, actor=reporter, note="x")
    assert client_for(operator2).post(f"/partisipasi/slot/{slot.pk}/terima/").status_code == 403
    slot.refresh_from_db()
    assert slot.held


def test_the_board_and_api_say_how_many_are_held(election, operator, personas, bearer, client):
    submit(election, operator, (TPS, "11", 5000), (OTHER, "11", 200))
    body = client_for(personas.coordinator).get("/partisipasi/64.02/?titik=11").content.decode()
    assert '<div class="value" id="held-tps">1</div>' in body
    api = client.get("/api/v1/turnout/areas/64.02?checkpoint=11", headers=bearer(personas.coordinator)).json()
    assert (api["held_tps"], api["reported_tps"], api["voters"]) == (1, 1, 200)
    posted = client.post(
        "/api/v1/turnout/reports",
        {"tps_code": THIRD, "checkpoint": "11", "voters": 4000},
        content_type="application/json",
        headers=bearer(operator),
    ).json()
    assert posted["results"][0]["held"] is True
    assert {f["rule"] for f in posted["results"][0]["flags"] if f["hold"]} == {"over_registered"}


def test_the_report_form_warns_when_a_report_is_held(election, operator):
    client = client_for(operator)
    form = {"tps_code": TPS, "checkpoint": "11", "voters": "5000", "client_id": "web:typo"}
    response = client.post("/partisipasi/64.02/lapor/?titik=11", form)
    assert response.status_code == 302
    stored = list(get_messages(response.wsgi_request))
    assert stored and all(m.level == WARNING for m in stored)
    assert "DITAHAN" in stored[0].message
    # Sent today, long after voting day: flagged off schedule but counted, still a warning, not held.
    late = client.post(
        "/partisipasi/64.02/lapor/?titik=11", {**form, "voters": "150", "tps_code": OTHER, "client_id": "web:ok"}
    )
    [first, *_] = [m for m in get_messages(late.wsgi_request) if "TPS " + OTHER in m.message]
    assert first.level == WARNING and "DITAHAN" not in first.message


def test_the_review_list_and_slot_page_mark_held_reports(election, operator, bawaslu):
    submit(election, operator, (TPS, "11", 5000))
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    client = client_for(bawaslu)
    listing = client.get("/partisipasi/64.02/tinjau/?titik=11").content.decode()
    assert f'data-slot="{slot.pk}"' in listing and 'class="badge bad held"' in listing
    assert "ditahan, tidak dihitung" in client.get(f"/partisipasi/slot/{slot.pk}/").content.decode()
