"""Hostile text in risk files and pages: no formula cell in CSV/XLSX, no inline script on risk pages."""

import csv
import io
import re

from openpyxl import load_workbook

from sinergi.areas.models import Area
from sinergi.conftest import client_for
from sinergi.risk import services
from sinergi.risk.tests import factories

FORMULA = "=cmd|' /C calc'!A0"


def test_exports_hold_no_formula_from_names_or_notes(filled, analyst, personas):
    Area.objects.filter(code="64.02.06").update(name=FORMULA)  # a kecamatan (area export)
    Area.objects.filter(code="64.02.06.1001").update(name="@SUM(1+1)*cmd|' /C calc'!A0")  # a desa (TPS export)
    client = client_for(personas.coordinator)
    for what in ("wilayah", "tps"):
        xlsx = client.get(f"/kerawanan/wilayah/64.02/ekspor/?format=xlsx&isi={what}")
        book = load_workbook(io.BytesIO(xlsx.content))
        cells = [c for row in book.active.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], what
        texts = [c.value for c in cells if isinstance(c.value, str)]
        assert any(t.startswith("'=") or t.startswith("'@") for t in texts), what
        response = client.get(f"/kerawanan/wilayah/64.02/ekspor/?format=csv&isi={what}")
        text = response.getvalue().decode("utf-8-sig")
        values = [v for row in csv.reader(io.StringIO(text)) for v in row]
        assert not [v for v in values if v[:1] in ("=", "+", "@")], what
        assert any(v.startswith("'") for v in values), what


def test_round_template_is_written_through_the_cell_writer(filled, analyst):
    text = client_for(analyst).get(f"/kerawanan/putaran/{filled.slug}/templat.csv").content.decode("utf-8-sig")
    assert text.startswith("tps_code,1.1,")


def test_risk_pages_have_no_inline_script_or_handlers(filled, analyst):
    services.checklist_submit(
        actor=analyst, round_=filled, tps_code=factories.stations()[0], answers=factories.all_no(filled.instrument)
    )
    client = client_for(analyst)
    for url in (
        "/kerawanan/wilayah/64.02/",
        "/kerawanan/wilayah/64.02.06/",
        "/kerawanan/wilayah/64.02/tps/",
        f"/kerawanan/tps/{factories.stations()[0]}/",
        f"/kerawanan/tps/{factories.stations()[0]}/isi/",
        f"/kerawanan/putaran/{filled.slug}/",
        "/kerawanan/putaran/",
        "/kerawanan/wilayah/64.02/bandingkan/",
    ):
        html = client.get(url).content.decode()
        inline = [s for s in re.findall(r"<script\b([^>]*)>", html) if "src=" not in s and "application/json" not in s]
        assert inline == [], url
        assert not re.search(r"\son[a-z]+\s*=", html), url
    area = client.get("/kerawanan/wilayah/64.02/").content.decode()
    assert "risk/area.js" in area and 'id="risk-labels"' in area
    assert "risk/checklist_form.js" in client.get(f"/kerawanan/tps/{factories.stations()[0]}/isi/").content.decode()


def test_area_script_builds_tooltips_and_panels_from_text_nodes():
    from pathlib import Path

    source = (Path(__file__).resolve().parents[1] / "static" / "risk" / "area.js").read_text()
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source
    assert "textContent" in source
