from datetime import date

import pytest

from sinergi.areas.models import Area
from sinergi.core.timezones import local_today
from sinergi.meetings import situation
from sinergi.meetings.services import action_status_update
from sinergi.meetings.tests.factories import action_make, decision_make, meeting_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(personas):
    boss = personas.coordinator
    decision = decision_make(boss, meeting_make(boss), public=True)
    today = local_today("64.02")
    late = action_make(boss, decision, title="Lama", due=date(2024, 9, 1))
    later = action_make(boss, decision, title="Baru lewat", area="64.02.05", agency="kpu-kukar", due=date(2024, 10, 1))
    action_make(boss, decision, title="Masih lama", area="64.02.05", agency="kpu-kukar", due=date(today.year + 1, 1, 1))
    done = action_make(boss, decision, title="Beres", due=date(2024, 9, 1))
    action_status_update(actor=boss, action=done, status="done", note="ok")
    return late, later


def test_readiness_counts(actions, personas):
    metrics = {m.key: m for m in situation.readiness(personas.coordinator, Area.objects.get(code="64.02"))}
    assert metrics["meetings.open_actions"].value == 3
    assert metrics["meetings.overdue_actions"].value == 2 and metrics["meetings.overdue_actions"].status == "bad"
    assert metrics["meetings.done_pct"].value == 25.0


def test_attention_ranks_the_most_overdue_first_with_links(actions, personas):
    items = situation.attention(personas.coordinator, Area.objects.get(code="64.02"))
    assert [i.title for i in items] == ["Tindak lanjut: Lama", "Tindak lanjut: Baru lewat"]
    assert items[0].urgency >= items[1].urgency and items[0].url == f"/rapat/tindak-lanjut/{actions[0].pk}/"


def test_map_layer_counts_overdue_per_child_and_scope_is_respected(actions, personas):
    kukar = Area.objects.get(code="64.02")
    (layer,) = situation.map_layers(personas.coordinator, kukar)
    assert layer.values == {"64.02.06": 1.0, "64.02.05": 1.0}
    assert situation.readiness(personas.outsider, kukar)[0].value == 0
    (national,) = situation.map_layers(personas.national_admin, Area.objects.get(code="ID"))
    assert national.values == {"64": 2.0}


def test_public_summary_counts_public_decisions(actions):
    assert situation.public_summary(Area.objects.get(code="64.02"))[0].value == 1
