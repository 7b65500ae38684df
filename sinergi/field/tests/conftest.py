import pytest

from sinergi.accounts.models import Agency, User
from sinergi.accounts.roles import Role
from sinergi.accounts.services import membership_grant
from sinergi.risk.tests import factories
from sinergi.turnout.setup import election_prepare
from testkit.builders import user_make

DESA = "64.02.06.1001"  # Sukarame, Tenggarong, in the small world
OWN_TPS = "64.02.06.1001.001"
OUTSIDE_DESA = "64.72.01.1001"  # Rawa Makmur, Samarinda: no election with turnout reporting covers it


@pytest.fixture
def election(world):
    election = world["election"]
    election_prepare(election)
    return election


@pytest.fixture
def checklist_round(world):
    return factories.round_make(factories.analyst(), area="64.02.06")


@pytest.fixture
def officer(world) -> User:
    """A field officer of Sukarame who may report turnout (KPU side) and fill checklists (Bawaslu side),
    like the demo's ptps.tenggarong; also a member in Samarinda, outside every election here."""
    user = user_make("ptps", Role.FIELD_OFFICER, DESA, "panwascam-tenggarong")
    membership_grant(user=user, agency=Agency.objects.get(code="kpu-kukar"), role=Role.KPU_OPERATOR, area_code=DESA)
    return user


@pytest.fixture
def roaming_officer(officer) -> User:
    membership_grant(
        user=officer, agency=Agency.objects.get(code="kpu-samarinda"), role=Role.KPU_OPERATOR, area_code=OUTSIDE_DESA
    )
    return officer
