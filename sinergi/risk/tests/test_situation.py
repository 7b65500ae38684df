from sinergi.areas.models import Area
from sinergi.risk import situation


def test_situation_reads_stored_rollups(filled, personas, django_assert_max_num_queries):
    kukar = Area.objects.get(code="64.02")
    with django_assert_max_num_queries(6):
        metrics = {m.key: m for m in situation.readiness(personas.coordinator, kukar)}
    assert metrics["risk.tps_assessed_pct"].value == 100.0
    assert metrics["risk.tps_flagged"].value == 6
    layer = situation.map_layers(personas.coordinator, kukar)[0]
    assert set(layer.values) == {"64.02.05", "64.02.06"}
    assert [c for _, c in layer.scale] == ["#aed581", "#ffca28", "#e53935"]
    assert situation.readiness(personas.outsider, kukar) == []
    assert all(item.area_code.startswith("64.02.") for item in situation.attention(personas.coordinator, kukar))
