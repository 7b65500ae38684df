"""Issue 16: a module plugs into the room by itself. A toy module, declared here and registered the
way a plug-in outside SINERGI_APPS would be (`providers.register`), appears in the room page, the
API, the public page and a filed report, in its declared place, without any edit to `situation`."""

from types import SimpleNamespace

import pytest
from django.test import Client
from openpyxl import load_workbook

from sinergi.conftest import client_for
from sinergi.core.situation import ATTENTION, AttentionItem, MapLayer, Metric, Module, PublicItem, Verdict
from sinergi.situation import providers
from sinergi.situation.permissions import module_readable
from sinergi.situation.services import daily_report_generate

pytestmark = pytest.mark.django_db


class Logistics:
    """A module the room has never heard of: ballot logistics, first in the room."""

    ABOUT = Module(label="Logistik surat suara", order=1, policy=None)

    @staticmethod
    def readiness(user, area):
        return [Metric("logistics.boxes", "Kotak suara tiba", 1447, "TPS", "ok", "/logistik/", "logistics")]

    @staticmethod
    def verdict(user, area):
        return Verdict(ATTENTION, "12 kotak suara belum tiba di PPS.", "/logistik/", "logistics")

    @staticmethod
    def attention(user, area):
        return [AttentionItem(88, "Kotak suara Loa Kulu tertahan banjir", area.code, "/logistik/1/", "logistics")]

    @staticmethod
    def map_layers(user, area):
        return [MapLayer("logistics.arrived", "Kotak tiba", {c.code: 1.0 for c in area.children.all()}, "%")]

    @staticmethod
    def public_summary(area):
        return [Metric("logistics.public", "Kotak suara terdistribusi", 99, "%", module="logistics")]

    @staticmethod
    def public_items(area):
        return [PublicItem("Distribusi logistik selesai H-3.", "Rapat logistik", None, area.code, "logistics")]


QUIET_RISK = SimpleNamespace(
    ABOUT=Module(label="Kerawanan TPS", order=10),
    readiness=lambda user, area: [Metric("risk.n", "TPS rawan", 3, "TPS", module="risk")],
)


@pytest.fixture
def toy():
    providers.register("logistics", Logistics)
    yield
    providers.unregister("logistics")


def test_the_toy_module_appears_in_the_room_page(world, personas, toy):
    html = client_for(personas.coordinator).get("/situasi/64.02/").content.decode()
    assert "Logistik surat suara" in html and 'data-key="logistics.boxes"' in html and "1.447 TPS" in html
    assert '<li class="verdict attention" data-module="logistics">' in html
    assert "12 kotak suara belum tiba di PPS." in html
    assert "Kotak suara Loa Kulu tertahan banjir" in html
    # Declared first (order=1): its card comes before every real module's.
    assert html.index('data-key="logistics.boxes"') < html.index('data-key="meetings.open_actions"')


def test_the_toy_module_appears_in_the_api(world, personas, bearer, client, toy):
    body = client.get("/api/v1/situation/areas/64.02", headers=bearer(personas.coordinator)).json()
    sections = {s["module"]: s for s in body["sections"]}
    assert sections["logistics"]["label"] == "Logistik surat suara" and sections["logistics"]["live"] is False
    assert next(s["module"] for s in body["sections"] if not s["live"]) == "logistics"
    verdicts = {v["module"]: v for v in body["verdicts"]}
    assert verdicts["logistics"] == {
        "module": "logistics",
        "label": "Logistik surat suara",
        "level": "attention",
        "level_label": "Perlu perhatian",
        "reason": "12 kotak suara belum tiba di PPS.",
        "url": "/logistik/",
    }
    assert "Kotak suara Loa Kulu tertahan banjir" in [a["title"] for a in body["attention"]]
    assert {"logistics.arrived"} <= {layer["key"] for layer in body["layers"]}


def test_the_toy_module_appears_on_the_public_page(world, toy):
    html = Client().get("/situasi/publik/64.02/").content.decode()
    assert 'id="public-logistics"' in html and "Kotak suara terdistribusi" in html
    assert "Distribusi logistik selesai H-3." in html


def test_a_module_without_a_policy_is_read_in_a_filed_report_by_the_national_admin_only(world, personas, toy):
    with providers.only({"risk": QUIET_RISK, "logistics": Logistics}):
        report = daily_report_generate(area_code="64.02", actor=personas.coordinator)
        assert [s["module"] for s in report.snapshot["sections"]] == ["logistics", "risk"]
        # The report names the module by its label, not its code.
        cells = [c.value for sheet in load_workbook(report.xlsx.open("rb")) for row in sheet.iter_rows() for c in row]
        start = cells.index("Kotak suara Loa Kulu tertahan banjir")
        assert cells[start + 2 : start + 4] == ["64.02", "Logistik surat suara"]
        assert module_readable(personas.national_admin, "logistics", "64.02")
        assert not module_readable(personas.coordinator, "logistics", "64.02")
