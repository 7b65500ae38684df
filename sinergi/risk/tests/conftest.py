import pytest

from sinergi.risk.tests import factories


@pytest.fixture
def analyst(personas):
    return factories.analyst()


@pytest.fixture
def kround(analyst):
    """An open Pilkada 2024 round over Kukar in the small world."""
    return factories.round_make(analyst)
