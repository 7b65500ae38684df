"""Issue 11 for the situation room: the room and its reports come through one rule each."""

from io import BytesIO
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from sinergi.accounts.roles import Role
from sinergi.conftest import client_for
from sinergi.core.situation import AttentionItem, MapLayer, Metric, Module
from sinergi.grants.permissions import GRANTS as GRANTS_POLICY
from sinergi.situation import providers
from sinergi.situation.documents import report_xlsx
from sinergi.situation.permissions import DAILY_REPORT
from sinergi.situation.services import daily_report_generate
from sinergi.situation.snapshot import empty_snapshot
from sinergi.situation.tests.test_reports import pdf_text
from sinergi.situation.tests.toy_modules import SAMPLE
from testkit.builders import user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, personas):
    with providers.only({"contoh": SAMPLE}):
        return daily_report_generate(area_code="64.02", actor=personas.coordinator)


@pytest.mark.parametrize("day", ["2026-13-45", "kemarin", "2024-02-30"])
def test_a_report_day_that_is_not_a_date_is_404_not_a_crash(report, personas, day):
    assert client_for(personas.coordinator).get(f"/situasi/64.02/laporan/{day}.pdf").status_code == 404


def test_reports_are_read_only_where_the_room_is(report, personas, observer):
    day = f"{report.report_date:%Y-%m-%d}"
    assert client_for(observer).get(f"/situasi/64.02/laporan/{day}.xlsx").status_code == 200
    assert client_for(personas.field_officer).get(f"/situasi/64.02/laporan/{day}.pdf").status_code == 404
    assert client_for(personas.outsider).get(f"/situasi/64.02/laporan/{day}.pdf").status_code == 404
    assert list(DAILY_REPORT.visible(personas.field_officer)) == []
    assert client_for(observer).post("/situasi/64.02/laporan/buat/").status_code == 403


def test_the_room_of_an_area_above_the_users_scope_is_not_served(world, personas, bearer, client):
    headers = bearer(personas.field_officer)  # 64.02.06
    with providers.only({"contoh": SAMPLE}):
        assert client.get("/api/v1/situation/areas/64.02", headers=headers).status_code == 404
        assert client.get("/api/v1/situation/areas/64.02/reports", headers=headers).status_code == 404
        own = client.get("/api/v1/situation/areas/64.02.06", headers=headers)
    assert own.status_code == 200
    assert {c["code"] for c in own.json()["children"]} <= {"64.02.06.1001", "64.02.06.2001"}


def _grants_readiness(user, area):
    return [Metric("hibah_contoh.late", "Tranche hibah terlambat", 3, "tranche", "bad", "", "hibah_contoh")]


def _grants_attention(user, area):
    return [AttentionItem(95, "Hibah KPU Kukar terlambat cair", area.code, "/hibah/1/", "hibah_contoh", "H+12")]


def _grants_layers(user, area):
    return [MapLayer("hibah_contoh.absorbed", "Serapan hibah", {c.code: 1.0 for c in area.children.all()}, "%")]


# A toy module that declares the real grants policy, as any module would.
GRANTS = SimpleNamespace(
    ABOUT=Module(label="Hibah contoh", order=30, policy=GRANTS_POLICY),
    readiness=_grants_readiness,
    attention=_grants_attention,
    map_layers=_grants_layers,
)


def _texts(client, day: str) -> tuple[str, str]:
    pdf = client.get(f"/situasi/64.02/laporan/{day}.pdf")
    xlsx = client.get(f"/situasi/64.02/laporan/{day}.xlsx")
    assert pdf.status_code == xlsx.status_code == 200
    book = load_workbook(BytesIO(xlsx.getvalue()))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    return pdf_text(pdf.getvalue()), cells


def test_an_archived_report_shows_a_reader_only_the_modules_their_role_reads(world, personas, observer):
    """The report is built as the system sees it; an observer (no grants role) or finance (no risk
    role) must not read the other module's numbers from the archived file."""
    # Filed and read while the two toy modules are installed: a reader's modules come from their policies.
    with providers.only({"contoh": SAMPLE, "hibah_contoh": GRANTS}):
        report = daily_report_generate(area_code="64.02", actor=personas.coordinator)
        day = f"{report.report_date:%Y-%m-%d}"
        finance = user_make("bendahara", Role.FINANCE, "64.02", "kesbangpol-kukar")

        for text in _texts(client_for(personas.coordinator), day):
            assert "Tranche hibah terlambat" in text and "TPS sudah dinilai" in text
        for text in _texts(client_for(observer), day):
            assert "TPS sudah dinilai" in text
            assert "hibah" not in text.lower()
        for text in _texts(client_for(finance), day):
            assert "Tranche hibah terlambat" in text and "Hibah KPU Kukar terlambat cair" in text
            assert "TPS sudah dinilai" not in text and "Kerusuhan" not in text and "rawan" not in text.lower()


def test_the_report_xlsx_holds_no_formula_from_names_or_titles():
    snapshot = empty_snapshot("64.02", '=HYPERLINK("http://x","Kukar")', "2026-11-29")
    snapshot["sections"] = [
        {
            "module": "risk",
            "label": "@Risiko",
            "live": False,
            "metrics": [{"key": "risk.x", "label": "+1+1", "value": "=2*3", "unit": "-", "status": "info", "url": ""}],
        }
    ]
    snapshot["attention"] = [
        {
            "urgency": 90,
            "title": "=cmd|' /C calc'!A0",
            "detail": "-1",
            "area_code": "64.02",
            "module": "risk",
            "url": "",
        }
    ]
    snapshot["layers"] = [{"key": "risk.rawan", "label": "=1", "unit": "%"}]
    snapshot["children"] = [{"code": "64.02.06", "name": "=cmd|' /C calc'!A0", "values": {"risk.rawan": 2.0}}]
    book = load_workbook(BytesIO(report_xlsx(snapshot)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.value for c in cells if c.data_type == "f" or str(c.value).startswith(("=", "+", "-", "@"))]
    assert 2.0 in [c.value for c in cells] and 90 in [c.value for c in cells]
