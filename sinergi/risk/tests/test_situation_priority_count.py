"""The room's "TPS sangat rawan / khusus" counts the Polri class the deployment plan uses: the
round's roll-up with manual overrides laid over it (the demo showed 6 where the plan had 7)."""

from collections import Counter

from sinergi.areas.models import Area
from sinergi.risk import services, situation
from sinergi.risk.selectors import security_class_map


def _shown(personas, kukar=None):
    kukar = kukar or Area.objects.get(code="64.02")
    metrics = {m.key: m for m in situation.readiness(personas.coordinator, kukar)}
    return metrics["risk.tps_very_vulnerable"].value


def _planned() -> int:
    classes = Counter(security_class_map("64.02").values())
    return classes["sangat_rawan"] + classes["khusus"]


def test_overrides_count_as_the_plan_counts_them(filled, analyst, personas, django_assert_max_num_queries):
    before = _shown(personas)
    assert before == _planned()
    raised, lowered = sorted(security_class_map("64.02"))[:2]
    services.security_override_set(actor=analyst, tps_code=raised, security_class="sangat_rawan", reason="Polsek")
    services.security_override_set(actor=analyst, tps_code=lowered, security_class="khusus", reason="rutan")
    assert _shown(personas) == _planned() == before + 2
    services.security_override_set(actor=analyst, tps_code=lowered, security_class="kurang_rawan", reason="pindah")
    kukar = Area.objects.get(code="64.02")
    with django_assert_max_num_queries(6):
        shown = _shown(personas, kukar)
    assert shown == _planned() == before + 1
