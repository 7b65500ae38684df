"""Issue 11 for areas: the area and TPS rules decide pages, API, lists and the service alike."""

import pytest

from sinergi.accounts.roles import Role
from sinergi.areas.models import Area, PollingStation
from sinergi.atlas.permissions import AREA, POLLING_STATION
from sinergi.atlas.services import polling_station_update
from sinergi.atlas.tps_import import import_tps_guarded
from sinergi.conftest import client_for
from sinergi.core.errors import Forbidden, ImportFailed, NotFound
from testkit.builders import user_make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["coordinator", "field_officer"])
def test_a_readers_tps_patch_is_refused_before_its_body_is_read(personas, persona):
    response = client_for(getattr(personas, persona)).patch(
        "/api/v1/polling-stations/64.02.06.1001.001", {"dpt_male": "banyak"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_lists_and_single_objects_follow_one_rule(personas):
    officer = personas.field_officer  # 64.02.06
    stations = set(POLLING_STATION.visible(officer).values_list("code", flat=True))
    assert stations and all(code.startswith("64.02.06.") for code in stations)
    assert PollingStation.objects.exclude(code__in=stations).filter(code__startswith="64.02.05.").exists()
    assert set(AREA.visible(officer, Area.objects.filter(parent_id="64.02")).values_list("code", flat=True)) == {
        "64.02.06"
    }
    with pytest.raises(NotFound):
        POLLING_STATION.get(officer, "64.02.05.2001.001")
    with pytest.raises(Forbidden):
        POLLING_STATION.get(officer, "64.02.06.1001.001", write=True)


def test_the_service_rechecks_the_rule(personas):
    with pytest.raises(NotFound):
        polling_station_update(actor=personas.outsider, code="64.02.06.1001.001", changes={"dpt_male": 1})
    with pytest.raises(Forbidden):
        polling_station_update(actor=personas.coordinator, code="64.02.06.1001.001", changes={"dpt_male": 1})


def test_area_pages_are_read_only(personas):
    client = client_for(personas.coordinator)
    assert client.get("/wilayah/64.02/").status_code == 200
    assert client.post("/wilayah/64.02/").status_code == 405
    assert client.post("/wilayah/tps/64.02.06.1001.001/").status_code == 405


@pytest.mark.parametrize(
    "body, field",
    [({"address": "x" * 300}, "address"), ({"address": None}, "address"), ({"is_special": None}, "is_special")],
)
def test_a_tps_patch_with_a_null_or_over_long_value_is_a_field_error_not_a_500(world, body, field):
    kpu = user_make("kpu.probe", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    station = PollingStation.objects.get(code="64.02.06.1001.001")
    response = client_for(kpu).patch(
        "/api/v1/polling-stations/64.02.06.1001.001", body, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["field"] == field
    station.refresh_from_db()
    assert station.address is not None and len(station.address) <= 255 and station.is_special is not None


def test_a_tps_import_recorded_as_a_user_changes_only_what_that_user_may_correct(world, personas, tmp_path):
    """`sinergi import-tps --as-user U` records U as the importer: KPU Samarinda (or a Kukar
    coordinator) must not be recorded as having rewritten Kukar's TPS list."""
    path = tmp_path / "tps.csv"
    path.write_text("tps_code,dpt_male,dpt_female\n64.02.06.1001.001,111,111\n", encoding="utf-8")
    for actor in (personas.outsider, personas.coordinator):
        with pytest.raises(ImportFailed) as refused:
            import_tps_guarded(path, actor=actor)
        assert refused.value.errors[0].line == 2
    assert PollingStation.objects.get(code="64.02.06.1001.001").dpt_male != 111
    kpu = user_make("kpu.import", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    assert import_tps_guarded(path, actor=kpu).updated == 1
