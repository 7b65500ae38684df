import pytest

from sinergi.accounts.roles import Role
from sinergi.meetings.tests.factories import action_make, decision_make, meeting_make
from testkit.builders import user_make


@pytest.fixture
def observer(personas):
    """A read-only role over the whole regency."""
    return user_make("pemantau", Role.OBSERVER, "64.02", "kesbangpol-kukar")


@pytest.fixture
def founding(personas):
    boss = personas.coordinator
    meeting = meeting_make(boss, agenda=["Pembukaan", "Paparan KPU"])
    decision = decision_make(boss, meeting, "Camat memetakan kerawanan", public=True)
    decision_make(boss, meeting, "Hibah pengamanan diselesaikan", public=False)
    action = action_make(boss, decision)
    return {"meeting": meeting, "decision": decision, "action": action}
