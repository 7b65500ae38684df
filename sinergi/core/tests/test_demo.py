"""The README's demo command: the full Kukar demo loads, and a second run duplicates nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

from sinergi.areas.models import Area, PollingStation


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for config in apps.get_app_configs()
        if config.name.startswith("sinergi.")
        for model in config.get_models()
    }


@pytest.mark.django_db(transaction=True)
def test_demo_loads_kukar_and_a_second_run_duplicates_nothing(capsys):
    call_command("demo", no_serve=True)
    kukar = Area.objects.get(code="64.02")
    assert (kukar.children_count, kukar.tps_count, kukar.dpt_total) == (20, 1447, 552_469)
    assert Area.objects.filter(parent__parent_id="64.02").count() == 237
    assert PollingStation.objects.filter(dpt_total__gt=600).count() == 0
    output = capsys.readouterr().out
    assert "sekda.kukar" in output and "sinergi-demo-2024" in output
    first = row_counts()
    call_command("demo", no_serve=True)
    second = row_counts()
    grown = {label: (first[label], second[label]) for label in first if second[label] > first[label]}
    # Only logs of the run itself may grow: history of idempotent re-runs is not duplication.
    assert set(grown) <= {"core.HistoryEntry"}, grown
