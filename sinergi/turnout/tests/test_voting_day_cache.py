"""Voting-day constants come from Django's cache, shared by every worker, and a write drops them."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.areas.models import Election
from sinergi.core.errors import NotFound
from sinergi.turnout import voting_day
from sinergi.turnout.models import Checkpoint, QualityRule

pytestmark = pytest.mark.django_db

DESA = "64.02.06.1001"


def queries_of(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def test_a_second_read_is_served_from_the_cache(election):
    assert queries_of(lambda: voting_day.election_for(DESA)) == 1
    assert queries_of(lambda: voting_day.election_for(DESA)) == 0
    assert queries_of(lambda: voting_day.checkpoints_of(election)) == 1
    assert queries_of(lambda: voting_day.checkpoints_of(election)) == 0


def test_the_entries_live_in_djangos_cache_not_in_the_process(election):
    voting_day.enabled_rules()
    generation = cache.get(voting_day.GENERATION_KEY)
    assert cache.get(f"turnout:{generation}:rules")["over_registered"] is not None
    cache.clear()  # what another worker's restart or an eviction looks like: read again, same answer
    assert "over_registered" in voting_day.enabled_rules()


def test_saving_a_rule_drops_the_cached_rules(election):
    assert "off_schedule" in voting_day.enabled_rules()
    rule = QualityRule.objects.get(code="off_schedule")
    rule.enabled = False
    rule.save()  # as the admin does
    assert "off_schedule" not in voting_day.enabled_rules()


def test_a_new_checkpoint_is_seen_at_once(election):
    before = voting_day.checkpoints_of(election)
    Checkpoint.objects.create(election=election, code="15", label="15.00", local_time=dt.time(15), order=9)
    after = voting_day.checkpoints_of(election)
    assert set(after) - set(before) == {"15"}


def test_an_election_renamed_away_is_not_found_by_its_old_slug(election):
    assert voting_day.election_for(DESA, election.slug) == election
    old = election.slug
    election.slug = "pilkada-kukar-ulang"
    election.save()
    with pytest.raises(NotFound):
        voting_day.election_for(DESA, old)
    assert voting_day.election_for(DESA, "pilkada-kukar-ulang").pk == election.pk


def test_an_unknown_slug_is_cached_as_unknown_and_found_once_created(election):
    with pytest.raises(NotFound):
        voting_day.election_for(DESA, "pilgub-kaltim")
    Election.objects.create(
        slug="pilgub-kaltim",
        name="Pilgub Kaltim",
        kind="pilgub",
        region_id="64",
        voting_date=election.voting_date,
        time_zone="Asia/Makassar",
    )
    assert voting_day.election_for(DESA, "pilgub-kaltim").name == "Pilgub Kaltim"


def test_the_cache_is_bounded():
    assert cache._max_entries <= 10_000  # type: ignore[attr-defined]
