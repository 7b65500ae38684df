"""Tests stand alone: what one test leaves behind (a flushed database, a cached page, an active
language) is gone before the next, so the suite passes in any order (scripts/test.sh shuffles it)."""

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation

REFERENCE_MODELS = [
    "deployment.SecurityPattern",
    "grants.DisbursementPolicy",
    "grants.PolicyStep",
    "incidents.Category",
    "meetings.MeetingKind",
    "messaging.MessageTemplate",
]


def reference_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in REFERENCE_MODELS}


@pytest.mark.django_db(transaction=True)
def test_reference_data_is_loaded_again_after_a_flush():
    """A transactional test ends with this flush; the next test must find the migrations' data."""
    loaded = reference_counts()
    assert all(loaded.values()), loaded
    call_command("flush", verbosity=0, interactive=False)
    assert reference_counts() == loaded
    assert not apps.get_model("accounts.User").objects.exists()  # the rest is gone, as a flush should


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_starts_with_an_empty_cache_and_indonesian(turn):
    """Run twice: the first turn leaves a cached value and English active; the second must not see them."""
    assert cache.get("isolation-probe") is None
    assert translation.get_language() == "id"
    cache.set("isolation-probe", turn, None)
    translation.activate("en")


@pytest.mark.django_db
@pytest.mark.parametrize("turn", [1, 2])
def test_an_english_request_does_not_leave_english_to_the_next_test(world, turn):
    assert translation.get_language() == "id"
    Client().get("/", headers={"cookie": "django_language=en"})
    assert translation.get_language() == "en"  # what the locale middleware leaves in the thread
