import datetime as dt

import pytest

from sinergi.accounts.models import Notification
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure
from sinergi.areas.models import Area
from sinergi.turnout import situation
from sinergi.turnout.alerts import missing_alerts_send
from sinergi.turnout.models import Checkpoint
from sinergi.turnout.services import ReportInput, reports_submit
from sinergi.turnout.tests.conftest import at
from testkit.builders import user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(election, operator):
    items = [ReportInput(tps_code=f"64.02.06.1001.00{i}", checkpoint="11", voters=100) for i in (1, 2, 3)]
    reports_submit(election=election, items=items, actor=operator, at=at(11, 5))
    return election


def test_missing_alert_goes_to_the_pps_and_ppk_of_the_kecamatan(reported, world):
    agency_ensure(code="ppk-tenggarong", name="PPK Tenggarong", kind=AgencyKind.PPK, area_code="64.02.06")
    pps = user_make("ppk.tenggarong", Role.KPU_OPERATOR, "64.02.06", "ppk-tenggarong")
    checkpoint = Checkpoint.objects.get(election=reported, code="11")
    assert missing_alerts_send(election=reported, checkpoint=checkpoint, now=at(11, 10)) == 0  # grace not over
    sent = missing_alerts_send(election=reported, checkpoint=checkpoint, now=at(11, 45))
    assert sent == 2  # Tenggarong (3 missing in Bukit Biru) and Muara Badak (3 missing)
    notice = Notification.objects.get(user=pps)
    assert notice.title.startswith("3 TPS di Tenggarong belum lapor")
    assert "/partisipasi/64.02.06/belum-lapor/" in notice.url


def test_situation_room_contract(reported, personas, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: dt.datetime(2024, 11, 27, 4, 0, tzinfo=dt.UTC))
    area = Area.objects.get(code="64.02")
    metrics = {m.key: m for m in situation.readiness(personas.coordinator, area)}
    assert metrics["turnout.turnout_pct"].value == round(100 * 300 / 870, 2)
    assert metrics["turnout.reported_pct"].value == round(100 * 3 / 9, 1)
    titles = [a.title for a in situation.attention(personas.coordinator, area)]
    assert any("6 TPS belum lapor" in t for t in titles)
    [layer] = situation.map_layers(personas.coordinator, area)
    assert set(layer.values) == {"64.02.06"}
    public = {m.key for m in situation.public_summary(area)}
    assert public == {"turnout.turnout_pct", "turnout.reported_tps", "turnout.target_pct"}


def test_no_election_means_nothing_to_say(world, personas):
    area = Area.objects.get(code="64.72")
    assert situation.readiness(personas.outsider, area) == []
    assert situation.public_summary(area) == []
