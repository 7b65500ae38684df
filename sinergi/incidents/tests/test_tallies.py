from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from sinergi.incidents.models import ReportTally
from sinergi.incidents.services import report_transition
from sinergi.incidents.tallies import levels
from sinergi.incidents.tests.factories import MUARA_BADAK_TPS, bawaslu_analyst, report_make


def _snapshot() -> set[tuple]:
    return set(
        ReportTally.objects.values_list("area_code", "parent_code", "category_id", "day", "received", "open", "done")
    )


def test_levels_of_a_tps_and_a_desa():
    assert levels("64.02.06.2001.003") == ["64", "64.02", "64.02.06", "64.02.06.2001"]
    assert levels("64.02.06.2001") == levels("64.02.06.2001.003")


@pytest.mark.django_db
def test_counters_kept_by_the_services_equal_a_rebuild(personas):
    analyst = bawaslu_analyst()
    late = datetime(2024, 11, 26, 17, 30, tzinfo=UTC)  # 01.30 WITA on the 27th: counts on the local day
    reports = [
        report_make(personas.coordinator, description=f"Kejadian {i}", now=late if i == 0 else None) for i in range(4)
    ]
    reports.append(report_make(personas.coordinator, category="bencana", area_code=MUARA_BADAK_TPS))
    report_transition(report_id=reports[0].pk, actor=analyst, action="reject", note="bukan pelanggaran")
    report_transition(report_id=reports[0].pk, actor=analyst, action="reopen", note="ada bukti baru")
    report_transition(report_id=reports[1].pk, actor=analyst, action="assign")
    report_transition(report_id=reports[1].pk, actor=analyst, action="resolve", note="selesai")
    report_transition(report_id=reports[2].pk, actor=analyst, action="duplicate", duplicate_of=reports[3].pk)
    kept = _snapshot()
    call_command("rebuild_incident_tallies")
    assert kept == _snapshot()
    kukar = {row[2]: row[4:] for row in kept if row[0] == "64.02" and row[3].isoformat() != "2024-11-27"}
    assert sum(v[0] for v in kukar.values()) == 4  # the first was received on the local 27th (WITA)
    assert ("64.02.06.2001", "64.02.06", reports[0].category_id) in {(r[0], r[1], r[2]) for r in kept}
    assert any(r[3].isoformat() == "2024-11-27" for r in kept)
