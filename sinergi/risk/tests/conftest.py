import pytest

from sinergi.risk.tests import factories


@pytest.fixture
def analyst(personas):
    return factories.analyst()


@pytest.fixture
def kround(analyst):
    """An open Pilkada 2024 round over Kukar in the small world."""
    return factories.round_make(analyst)


@pytest.fixture
def filled(kround, analyst):
    """The round with every Kukar TPS of the small world answered (a few flags), as the analyst."""
    from sinergi.risk import services

    flags = [("2.1",), ("8.1", "1.1"), (), ("3.1", "2.2", "2.1"), ("7.3",), (), ("6.2",), (), ("5.2",)]
    for code, yes in zip(factories.stations(), flags, strict=False):
        services.checklist_submit(
            actor=analyst, round_=kround, tps_code=code, answers=factories.answers_with(kround.instrument, *yes)
        )
    return kround
