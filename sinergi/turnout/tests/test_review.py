import pytest

from sinergi.core.errors import Forbidden, NotFound, ValidationFailed
from sinergi.core.models import HistoryEntry
from sinergi.turnout.models import Slot
from sinergi.turnout.services import ReportInput, reports_submit, slot_accept, slot_correct
from sinergi.turnout.tests.conftest import TPS, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(election, operator):
    reports_submit(
        election=election, items=[ReportInput(tps_code=TPS, checkpoint="11", voters=400)], actor=operator, at=at(11, 5)
    )
    return Slot.objects.get(tps_id=TPS, checkpoint__code="11")


def test_supervisor_accepts_a_flag(flagged, personas):
    slot = slot_accept(slot_id=flagged.pk, actor=personas.coordinator, note="sudah dicek by telepon")
    assert not slot.flagged and slot.voters == 400
    flagged.current.refresh_from_db()
    assert flagged.current.reviewed_by == personas.coordinator
    assert HistoryEntry.objects.filter(object_type="turnout.slot", action="accepted").exists()


def test_supervisor_corrects_as_a_new_version(flagged, operator):
    result = slot_correct(slot_id=flagged.pk, voters=200, actor=operator, note="salah ketik")
    flagged.refresh_from_db()
    assert result.version == 2 and flagged.voters == 200 and not flagged.flagged
    assert list(flagged.reports.order_by("version").values_list("voters", flat=True)) == [400, 200]


def test_correction_needs_a_reason(flagged, operator):
    with pytest.raises(ValidationFailed):
        slot_correct(slot_id=flagged.pk, voters=200, actor=operator, note=" ")


def test_coordinator_may_accept_but_not_correct_numbers(flagged, personas):
    with pytest.raises(Forbidden):
        slot_correct(slot_id=flagged.pk, voters=200, actor=personas.coordinator, note="x")


def test_field_officer_may_not_review_and_outsider_sees_nothing(flagged, personas):
    with pytest.raises(Forbidden):
        slot_accept(slot_id=flagged.pk, actor=personas.field_officer)
    with pytest.raises(NotFound):
        slot_accept(slot_id=flagged.pk, actor=personas.outsider)
