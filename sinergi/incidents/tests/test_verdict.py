"""The incidents module's verdict for the situation room, on hand-made counts (pure) and on real reports."""

import pytest
from django.utils import translation

from sinergi.areas.models import Area
from sinergi.core.situation import ATTENTION, READY, TROUBLE
from sinergi.incidents import situation
from sinergi.incidents.tests.factories import report_make


@pytest.mark.parametrize(
    ("counts", "level", "reason"),
    [
        (dict(escalated=1, overdue=0, open_severe=0, open_total=1), TROUBLE, "1 laporan tereskalasi dan 0 belum"),
        (dict(escalated=0, overdue=2, open_severe=2, open_total=5), TROUBLE, "2 belum ditanggapi lewat batas"),
        (dict(escalated=0, overdue=0, open_severe=2, open_total=5), ATTENTION, "2 laporan tingkat tinggi atau kritis"),
        (dict(escalated=0, overdue=0, open_severe=0, open_total=3), ATTENTION, "3 laporan masih terbuka"),
        (dict(escalated=0, overdue=0, open_severe=0, open_total=0), READY, "Tidak ada laporan terbuka."),
    ],
)
def test_verdict_rule(counts, level, reason):
    found_level, found_reason = situation.verdict_rule(**counts)
    assert found_level == level and reason in found_reason


def test_the_verdict_reads_in_english():
    with translation.override("en"):
        level, reason = situation.verdict_rule(escalated=1, overdue=2, open_severe=0, open_total=3)
    assert level == TROUBLE
    assert reason == "1 escalated report(s) and 2 not acknowledged in time."


@pytest.mark.django_db
def test_the_verdict_of_a_regency_with_a_critical_report(personas, django_assert_num_queries):
    report_make(personas.coordinator, severity=4)
    kukar = Area.objects.get(code="64.02")
    with django_assert_num_queries(3):  # the module's state: stored tallies, one pass over open reports, urgent list
        found = situation.verdict(personas.coordinator, kukar)
    assert found is not None
    assert (found.level, found.module) == (ATTENTION, "incidents")
    assert found.reason == "1 laporan tingkat tinggi atau kritis masih ditangani."
    assert found.url.startswith("/laporan/") and "area=64.02" in found.url
    assert situation.verdict(personas.outsider, kukar) is None
