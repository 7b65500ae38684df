from datetime import datetime

import pytest

from sinergi.meetings import services
from sinergi.meetings.models import AgendaItem
from sinergi.meetings.tests.factories import WITA, action_make, decision_make, meeting_make

pytestmark = pytest.mark.django_db


def test_open_actions_join_the_next_meetings_agenda_and_finished_ones_do_not(personas):
    boss = personas.coordinator
    first = meeting_make(boss, agenda=["Pembukaan"])
    decision = decision_make(boss, first)
    still_open = action_make(boss, decision, title="Petakan kerawanan Tenggarong")
    in_progress = action_make(boss, decision, title="Sosialisasi pemilih", agency="kpu-kukar", area="64.02")
    finished = action_make(boss, decision, title="Cairkan hibah", agency="kesbangpol-kukar", area="64.02")
    services.action_status_update(actor=boss, action=in_progress, status="in_progress", note="mulai")
    services.action_status_update(actor=boss, action=finished, status="done", note="selesai")

    follow_up = meeting_make(boss, when=datetime(2024, 10, 8, 9, tzinfo=WITA), title="Evaluasi", agenda=["Evaluasi"])

    carried = {a.carried_action_id for a in follow_up.agenda.all() if a.carried_action_id}
    assert carried == {still_open.pk, in_progress.pk}
    titles = [a.title for a in follow_up.agenda.order_by("position")]
    assert titles[0] == "Evaluasi"
    assert any("Petakan kerawanan Tenggarong" in t for t in titles)


def test_items_carry_again_until_done_but_not_into_earlier_or_other_area_meetings(personas):
    boss = personas.coordinator
    first = meeting_make(boss)
    action = action_make(boss, decision_make(boss, first))
    earlier = meeting_make(boss, when=datetime(2024, 8, 1, 9, tzinfo=WITA), title="Sebelumnya")
    elsewhere = meeting_make(boss, area="64.02.05", when=datetime(2024, 10, 1, 9, tzinfo=WITA), title="Muara Badak")
    second = meeting_make(boss, when=datetime(2024, 10, 8, 9, tzinfo=WITA), title="Kedua")
    services.action_status_update(actor=boss, action=action, status="done", note="beres")
    third = meeting_make(boss, when=datetime(2024, 11, 1, 9, tzinfo=WITA), title="Ketiga")

    assert not earlier.agenda.filter(carried_action=action).exists()
    assert not elsewhere.agenda.filter(carried_action=action).exists()
    assert second.agenda.filter(carried_action=action).count() == 1
    assert not third.agenda.filter(carried_action=action).exists()
    assert AgendaItem.objects.filter(carried_action=action).count() == 1


def test_a_retried_create_with_the_same_client_id_makes_one_meeting(personas):
    boss = personas.coordinator
    one = meeting_make(boss, client_id="abc-1")
    two = meeting_make(boss, client_id="abc-1")
    assert one.pk == two.pk
