"""The meeting services' checks, one refusal each, and the small writes the pages make (agenda items,
a decision's publicity), each kept in the meeting's history."""

from datetime import datetime

import pytest

from sinergi.core.errors import Forbidden, ValidationFailed
from sinergi.core.models import HistoryEntry
from sinergi.meetings import services
from sinergi.meetings.models import Decision, Invitee, Meeting
from sinergi.meetings.services import InviteeSpec
from sinergi.meetings.tests.factories import WITA, decision_make, meeting_make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"when": datetime(2024, 9, 3, 9, 0)}, "starts_at"),  # no time zone: which 09.00?
        ({"kind_slug": "arisan"}, "kind"),
        ({"invitees": [InviteeSpec(person_title="Kepala Desa")]}, "invitees"),  # neither agency nor name
        ({"invitees": [InviteeSpec(agency_code="kpu-kukar", attendance="mungkin")]}, "attendance"),
    ],
)
def test_a_meeting_is_refused_naming_the_field(personas, change, field):
    with pytest.raises(ValidationFailed) as refused:
        meeting_make(personas.coordinator, **change)
    assert refused.value.field == field
    assert not Meeting.objects.exists() and not Invitee.objects.exists()


def test_changing_a_meeting_checks_its_kind_and_attendance(personas, founding):
    meeting = founding["meeting"]
    with pytest.raises(ValidationFailed) as refused:
        services.meeting_details_update(
            actor=personas.coordinator,
            meeting=meeting,
            kind_slug="arisan",
            title="Rakor",
            starts_at=datetime(2024, 9, 3, 9, 0, tzinfo=WITA),
            ends_at=None,
            venue="Pendopo",
            chair_name="Sunggono",
        )
    assert refused.value.field == "kind"
    invitee = services.invitee_add(actor=personas.coordinator, meeting=meeting, spec=InviteeSpec(agency_code="kpu-kukar"))
    with pytest.raises(ValidationFailed) as refused:
        services.attendance_set(actor=personas.coordinator, invitee=invitee, attendance="mungkin")
    assert refused.value.field == "attendance"
    invitee.refresh_from_db()
    assert invitee.attendance == "invited"


def test_agenda_items_and_publicity_are_written_and_kept_in_history(personas, founding):
    meeting, decision = founding["meeting"], founding["decision"]
    item = services.agenda_add(actor=personas.coordinator, meeting=meeting, title="Paparan Polres", notes=" singkat ")
    assert list(meeting.agenda.order_by("position").values_list("title", flat=True))[-1] == "Paparan Polres" == item.title
    assert item.notes == "singkat"
    services.decision_publicity_set(actor=personas.coordinator, decision=decision, is_public=False)
    assert Decision.objects.get(pk=decision.pk).is_public is False
    actions = set(
        HistoryEntry.objects.filter(object_type="meetings.meeting", object_key=str(meeting.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"agenda_added", "decision_publicity"} <= actions


def test_a_reader_changes_neither_agenda_nor_publicity(personas, founding, observer):
    with pytest.raises(Forbidden):
        services.agenda_add(actor=observer, meeting=founding["meeting"], title="Tambahan")
    with pytest.raises(Forbidden):
        services.decision_publicity_set(actor=observer, decision=founding["decision"], is_public=False)
    assert Decision.objects.get(pk=founding["decision"].pk).is_public is True
    assert decision_make(personas.coordinator, founding["meeting"], "Keputusan baru").number == 3
