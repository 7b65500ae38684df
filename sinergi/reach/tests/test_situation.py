"""Reach feeds the situation room's readiness (core.situation contract) with a fixed number of queries."""

import pytest
from django.utils import timezone

from sinergi.areas.models import Area
from sinergi.reach import services, situation
from sinergi.reach.permissions import REACH


@pytest.mark.django_db
def test_readiness_metrics_and_attention(roster, personas, django_assert_num_queries):
    now = timezone.now()
    people = sorted(roster.everyone, key=lambda u: u.username)  # 21 on the Kukar roster
    for user in people[:7]:
        user.person.activated_at = now
        user.person.save()
    for user in people[:3]:
        user.last_login = now
        user.save()
    services.test_report_record(user=people[10], channel="web")
    kukar = Area.objects.get(code="64.02")
    for user in (personas.coordinator, personas.outsider, personas.field_officer):
        REACH.read_scopes(user)  # memberships load once per request; the room has them already
    with django_assert_num_queries(1):
        metrics = {m.key: m for m in situation.readiness(personas.coordinator, kukar)}
    assert metrics["reach.activated_pct"].value == 33.3 and metrics["reach.activated_pct"].status == "bad"
    assert metrics["reach.logged_in_pct"].value == 14.3
    assert metrics["reach.tested_pct"].value == 4.8
    assert metrics["reach.tested_pct"].url == "/jangkauan/gladi/64.02/"
    [item] = situation.attention(personas.coordinator, kukar)
    assert item.title.startswith("17 petugas") and item.url == "/jangkauan/telepon/64.02/" and item.module == "reach"
    # Who may not read reach there gets nothing, without a query.
    with django_assert_num_queries(0):
        assert situation.readiness(personas.outsider, kukar) == []
        assert situation.attention(personas.field_officer, kukar) == []
