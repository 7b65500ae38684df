import pytest

from sinergi.areas.models import Area
from sinergi.incidents import situation
from sinergi.incidents.services import escalate_overdue
from sinergi.incidents.tests.factories import MUARA_BADAK_TPS, report_make


@pytest.mark.django_db
def test_situation_room_numbers_and_attention(personas, django_assert_max_num_queries):
    critical = report_make(personas.coordinator, severity=4)
    report_make(personas.coordinator, severity=2, category="politik-uang", description="Amplop beredar")
    report_make(personas.coordinator, severity=1, category="lainnya", area_code=MUARA_BADAK_TPS)
    kukar = Area.objects.get(code="64.02")
    from datetime import timedelta

    from django.utils import timezone

    escalate_overdue(now=timezone.now() + timedelta(hours=1))
    with django_assert_max_num_queries(4):
        metrics = {m.key: m.value for m in situation.readiness(personas.coordinator, kukar)}
    assert metrics == {
        "incidents.open": 3,
        "incidents.overdue": 0,
        "incidents.escalated": 1,
        "incidents.open_severity_4": 1,
        "incidents.open_severity_3": 0,
        "incidents.open_severity_2": 1,
        "incidents.open_severity_1": 1,
    }
    items = situation.attention(personas.coordinator, kukar)
    assert [i.url for i in items] == [f"/laporan/{critical.pk}/"]
    assert situation.map_layers(personas.coordinator, kukar)[0].values == {"64.02.06": 2.0, "64.02.05": 1.0}
    assert {m.key: m.value for m in situation.public_summary(kukar)}["incidents.public_total"] == 3
    assert situation.readiness(personas.outsider, kukar) == situation.map_layers(personas.outsider, kukar) == []
