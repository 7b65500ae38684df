import pytest

from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure
from sinergi.core.errors import Forbidden, NotFound, ValidationFailed
from sinergi.core.models import HistoryEntry
from sinergi.turnout.models import Slot
from sinergi.turnout.services import ReportInput, reports_submit, slot_accept, slot_correct
from sinergi.turnout.tests.conftest import TPS, at
from testkit.builders import user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(election, operator2):
    # Reported by the PPS; reviewed by others (a reporter never reviews its own numbers).
    reports_submit(
        election=election, items=[ReportInput(tps_code=TPS, checkpoint="11", voters=400)], actor=operator2, at=at(11, 5)
    )
    return Slot.objects.get(tps_id=TPS, checkpoint__code="11")


@pytest.fixture
def bawaslu(world):
    return user_make("bawaslu.kukar", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar")


def test_supervisor_accepts_a_flag(flagged, bawaslu):
    slot = slot_accept(slot_id=flagged.pk, actor=bawaslu, note="sudah dicek by telepon")
    assert not slot.flagged and not slot.held and slot.voters == 400
    flagged.current.refresh_from_db()
    assert flagged.current.reviewed_by == bawaslu
    assert HistoryEntry.objects.filter(object_type="turnout.slot", action="accepted").exists()


def test_supervisor_corrects_as_a_new_version(flagged, operator):
    result = slot_correct(slot_id=flagged.pk, voters=200, actor=operator, note="salah ketik")
    flagged.refresh_from_db()
    assert result.version == 2 and flagged.voters == 200 and not flagged.flagged
    assert list(flagged.reports.order_by("version").values_list("voters", flat=True)) == [400, 200]


def test_correction_needs_a_reason(flagged, operator):
    with pytest.raises(ValidationFailed):
        slot_correct(slot_id=flagged.pk, voters=200, actor=operator, note=" ")


def test_kesbangpol_reads_but_neither_confirms_nor_corrects(flagged, personas):
    """The numbers are the KPU's and their oversight Bawaslu's: the Kesbangpol room watches them."""
    with pytest.raises(Forbidden):
        slot_accept(slot_id=flagged.pk, actor=personas.coordinator)
    with pytest.raises(Forbidden):
        slot_correct(slot_id=flagged.pk, voters=200, actor=personas.coordinator, note="x")


def test_camat_office_may_not_review_and_outsider_sees_nothing(flagged, personas, world):
    agency_ensure(code="camat-tenggarong", name="Camat", kind=AgencyKind.DISTRICT_OFFICE, area_code="64.02.06")
    camat = user_make("camat", Role.FIELD_OFFICER, "64.02.06", "camat-tenggarong")
    with pytest.raises(Forbidden):
        slot_accept(slot_id=flagged.pk, actor=camat)
    with pytest.raises(NotFound):
        slot_accept(slot_id=flagged.pk, actor=personas.outsider)


def test_a_reporter_neither_accepts_nor_marks_reviewed_its_own_flagged_numbers(election, operator, personas, client):
    """A KPU account that reported a flagged number clears the flag only through someone else: not by
    accepting it, not by a 'correction' that stores its own numbers as reviewed (page, API or service)."""
    reports_submit(
        election=election, items=[ReportInput(tps_code=TPS, checkpoint="11", voters=400)], actor=operator, at=at(11, 5)
    )
    slot = Slot.objects.get(tps_id=TPS, checkpoint__code="11")
    assert slot.flagged
    with pytest.raises(Forbidden):
        slot_accept(slot_id=slot.pk, actor=operator, note="sudah benar")
    with pytest.raises(Forbidden):
        slot_correct(slot_id=slot.pk, voters=399, actor=operator, note="sudah benar")
    client.force_login(operator)
    assert client.post(f"/partisipasi/slot/{slot.pk}/terima/").status_code == 403
    assert client.post(f"/partisipasi/slot/{slot.pk}/koreksi/", {"voters": 399, "note": "x"}).status_code == 403
    page = client.get(f"/partisipasi/slot/{slot.pk}/")
    assert "/terima/" not in page.content.decode() and "/koreksi/" not in page.content.decode()
    slot.refresh_from_db()
    assert slot.flagged and slot.versions == 1
    # Someone else reviews it.
    reviewer = user_make("bawaslu.kukar", Role.BAWASLU_ANALYST, "64.02", "bawaslu-kukar")
    assert not slot_accept(slot_id=slot.pk, actor=reviewer, note="dicek").flagged


def test_is_correction_does_not_hide_a_disagreement_with_another_reporter(election, operator, operator2):
    """`is_correction` is a reporter correcting itself; set on another reporter's number (API) it would
    overwrite it without the 'two reporters disagree' flag."""
    reports_submit(
        election=election, items=[ReportInput(tps_code=TPS, checkpoint="09", voters=80)], actor=operator2, at=at(9, 5)
    )
    [result] = reports_submit(
        election=election,
        items=[ReportInput(tps_code=TPS, checkpoint="09", voters=20, is_correction=True)],
        actor=operator,
        at=at(9, 10),
    )
    assert [f["rule"] for f in result.flags] == ["disagreement"]
    assert Slot.objects.get(tps_id=TPS, checkpoint__code="09").flagged
    # The reporter correcting itself is not a disagreement.
    [own] = reports_submit(
        election=election,
        items=[ReportInput(tps_code=TPS, checkpoint="09", voters=25, is_correction=True)],
        actor=operator,
        at=at(9, 12),
    )
    assert own.flags == []
