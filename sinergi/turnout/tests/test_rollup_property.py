"""Property: for any set of reports, an area's totals are the sums of its children's and of its TPS."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.areas.models import Area, PollingStation
from sinergi.turnout import selectors
from sinergi.turnout.models import Checkpoint, Report, Slot
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.tests.conftest import at

pytestmark = pytest.mark.django_db
CODES = [f"{desa}.00{n}" for desa in ("64.02.05.2001", "64.02.06.1001", "64.02.06.2001") for n in (1, 2, 3)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(CODES), st.integers(min_value=0, max_value=290), min_size=0, max_size=9))
def test_roll_up_is_the_sum_of_children_and_of_tps(election, operator, personas, reports):
    Slot.objects.update(voters=None, current=None, versions=0, flagged=False)
    Report.objects.all().delete()
    if reports:
        items = [ReportInput(tps_code=code, checkpoint="13", voters=v) for code, v in reports.items()]
        reports_submit(election=election, items=items, actor=operator, at=at(13, 5))
    checkpoint = Checkpoint.objects.get(election=election, code="13")
    regency = selectors.area_turnout(Area.objects.get(code="64.02"), election, checkpoint).totals
    children = selectors.children_turnout(personas.coordinator, Area.objects.get(code="64.02"), checkpoint)
    dpt = dict(PollingStation.objects.values_list("code", "dpt_total"))
    assert regency.voters == sum(reports.values()) == sum(c.voters for c in children)
    assert regency.reported_tps == len(reports) == sum(c.reported_tps for c in children)
    assert regency.dpt_reported == sum(dpt[c] for c in reports) == sum(c.dpt_reported for c in children)
    assert regency.missing_tps == 9 - len(reports)
