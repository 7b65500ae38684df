"""Voting-day constants, read by every report and every board: which election a code reports to, its
checkpoints and their moments, the enabled quality rules.

Reads only (services and selectors both use them). They go through Django's cache (`settings.CACHES`:
bounded local memory in the demo and tests, the shared backend of `SINERGI_CACHE_URL` in production), so
every worker sees the same values and an entry lives at most `TTL_SECONDS`. A write to an election, a
checkpoint or a quality rule starts a new generation (`forget`, connected in `apps.py`): the next read
after it, in any worker, reads the database again.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.areas.codes import NATIONAL_CODE, ancestors_of, level_of
from sinergi.areas.models import Election, within
from sinergi.core.errors import NotFound
from sinergi.turnout.models import Checkpoint, QualityRule

TTL_SECONDS = 30
GENERATION_KEY = "turnout:generation"


def _generation() -> int:
    return int(cache.get_or_set(GENERATION_KEY, 1, None) or 1)


def _cached(name: str, load: Callable[[], Any]) -> Any:
    """One cache entry per name and generation; a miss loads from the database."""
    key = f"turnout:{_generation()}:{quote(name)}"  # names carry codes and slugs from requests
    hit = cache.get(key)
    if hit is None:
        hit = load()
        cache.set(key, hit, TTL_SECONDS)
    return hit


def forget(**_signal: Any) -> None:
    """Start a new generation now and again after the commit: a worker that read the old rows between
    the two still drops them at once, instead of keeping them for `TTL_SECONDS`."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted or never read): any new number is a new generation
        cache.set(GENERATION_KEY, int(timezone.now().timestamp()), None)


def checkpoints_of(election: Election) -> dict[str, Checkpoint]:
    return _cached(
        f"checkpoints:{election.pk}", lambda: {c.code: c for c in Checkpoint.objects.filter(election=election)}
    )


def enabled_rules() -> dict[str, dict]:
    """The enabled quality rules and their parameters."""
    return _cached("rules", lambda: dict(QualityRule.objects.filter(enabled=True).values_list("code", "params")))


def checkpoint_moment(election: Election, checkpoint: Checkpoint) -> dt.datetime:
    local = dt.datetime.combine(election.voting_date, checkpoint.local_time, tzinfo=ZoneInfo(election.time_zone))
    return local.astimezone(dt.UTC)


def elections_around(code: str) -> list[Election]:
    """Elections with turnout reporting whose region holds `code` or lies inside it (a national or
    provincial board shows the regional elections below it)."""
    found = Election.objects.filter(turnout_checkpoints__isnull=False)
    if code != NATIONAL_CODE:  # Q() | x is x in Django, so the nation needs no filter at all
        regions = [code, *ancestors_of(code)]
        found = found.filter(Q(region_id__in=regions) | within(code, "region__code", include_self=False))
    return list(found.distinct().order_by("-voting_date", "slug"))


def _elections_covering(code: str) -> list[Election]:
    """`elections_around(code)` for a desa or TPS (every report names one): decided in memory from the
    few elections with turnout reporting, one cache entry, instead of one entry per desa (83,762 of them:
    in a burst nearly every first report of a desa would miss a per-code entry)."""
    if level_of(code) != "desa_kelurahan":
        return _cached(f"elections:{code}", lambda: elections_around(code))
    every = _cached("elections:*", lambda: elections_around(NATIONAL_CODE))
    regions = {code, *ancestors_of(code)}
    return [e for e in every if e.region_id in regions]


def election_for(code: str, slug: str | None = None, today: dt.date | None = None) -> Election:
    """The election named by `slug`, else the one covering `code` whose voting day is nearest to today
    (the most local one when Pilgub and Pilbup share the day)."""
    if slug:
        # A missing slug is cached as False (None means "not cached").
        election = _cached(f"election:{slug}", lambda: Election.objects.filter(slug=slug).first() or False)
        if not election:
            raise NotFound(_("pemilihan %(slug)s tidak ditemukan") % {"slug": slug})
        return election
    candidates = _elections_covering(code)
    if not candidates:
        raise NotFound(_("tidak ada pemilihan dengan pelaporan partisipasi yang mencakup %(code)s") % {"code": code})
    today = today or timezone.localdate()
    return min(candidates, key=lambda e: (abs((e.voting_date - today).days), -len(e.region_id), e.slug))
