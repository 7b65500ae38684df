import datetime as dt

import pytest

from sinergi.accounts.models import Agency, User
from sinergi.accounts.roles import Role
from sinergi.turnout.setup import election_prepare
from testkit.builders import user_make

TPS = "64.02.06.1001.001"
VOTING_DAY = dt.date(2024, 11, 27)


def at(hour: int, minute: int = 0) -> dt.datetime:
    """A moment on voting day in WITA, as UTC."""
    return dt.datetime(2024, 11, 27, hour - 8, minute, tzinfo=dt.UTC)


@pytest.fixture
def election(world):
    election = world["election"]
    election.reference_turnouts = [{"label": "Pilkada 2020", "pct": "56.57"}]
    election.save()
    election.refresh_from_db()
    election_prepare(election)
    return election


@pytest.fixture
def operator(world) -> User:
    user = user_make("kpu.kukar", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    user.phone = "0812-1111-2222"
    user.save()
    return user


@pytest.fixture
def operator2(world) -> User:
    return user_make("pps.sukarame", Role.KPU_OPERATOR, "64.02.06", "kpu-kukar")


@pytest.fixture
def kpu_agency(world) -> Agency:
    return world["agencies"]["kpu-kukar"]
