import datetime as dt

import pytest

from sinergi.accounts.roles import Role
from sinergi.areas.models import Area
from sinergi.core.errors import Forbidden, NotFound, ValidationFailed
from sinergi.turnout import selectors
from sinergi.turnout.models import Checkpoint
from sinergi.turnout.services import ReportInput, outreach_record, reports_submit
from sinergi.turnout.tests.conftest import at
from testkit.builders import user_make

pytestmark = pytest.mark.django_db


def record(actor, desa="64.02.06.1001", **kw):
    values = {
        "desa_code": desa,
        "held_on": dt.date(2024, 11, 1),
        "target_group": "pemilih_pemula",
        "participants": 60,
        "organiser": "KPU Kukar",
    }
    return outreach_record(actor=actor, **{**values, **kw})


def test_outreach_next_to_final_turnout_by_desa(election, operator, personas):
    record(personas.coordinator)
    record(personas.field_officer, target_group="disabilitas", participants=15)
    reports_submit(
        election=election,
        items=[ReportInput(tps_code=f"64.02.06.1001.00{i}", checkpoint="final", voters=200) for i in (1, 2, 3)],
        actor=operator,
        at=at(15),
    )
    final = Checkpoint.objects.get(election=election, is_final=True)
    rows = selectors.outreach_vs_turnout(personas.coordinator, Area.objects.get(code="64.02.06"), final)
    sukarame = next(r for r in rows if r.totals.code == "64.02.06.1001")
    assert (sukarame.activities, sukarame.participants) == (2, 75)
    assert sukarame.groups == "disabilitas, pemilih_pemula"
    assert sukarame.totals.turnout_pct == round(100 * 600 / 870, 2)
    other = next(r for r in rows if r.totals.code == "64.02.06.2001")
    assert other.activities == 0 and other.totals.turnout_pct is None


def test_bad_outreach_is_refused(election, personas):
    with pytest.raises(ValidationFailed):
        record(personas.coordinator, participants=0)
    with pytest.raises(ValidationFailed):
        record(personas.coordinator, desa="64.02.06")
    with pytest.raises(ValidationFailed):
        record(personas.coordinator, target_group="semua")


def test_outreach_access(election, personas, operator):
    with pytest.raises(NotFound):
        record(personas.outsider)
    with pytest.raises(NotFound):
        record(personas.field_officer, desa="64.02.05.2001")
    observer = user_make("pemantau", Role.OBSERVER, "64.02", "kesbangpol-kukar")
    with pytest.raises(Forbidden):
        record(observer)
