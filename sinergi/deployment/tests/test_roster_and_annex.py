"""Named rosters (CSV, all or nothing) and the per-unit annex with names, as HTML, XLSX and PDF."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.conftest import client_for
from sinergi.core.errors import ImportFailed
from sinergi.deployment.models import Plan, RosterMember
from sinergi.deployment.services import plan_create, roster_import
from testkit.html import table_rows, text_of

pytestmark = pytest.mark.django_db
HEADER = "id_number,rank,name,unit,status\n"


def write(tmp_path, body: str):
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_bad_rows_refuse_the_whole_file_and_name_every_problem(tmp_path, units, planner_users):
    path = write(
        tmp_path,
        "1,Bripda,Ahmad,polsek-tenggarong,aktif\n1,Briptu,Budi,polsek-tenggarong,aktif\n3,Briptu,,polsek-xyz,libur\n",
    )
    with pytest.raises(ImportFailed) as error:
        roster_import(path=path, actor=planner_users["polri"])
    problems = {(e.line, e.column) for e in error.value.errors}
    assert problems == {(3, "id_number"), (4, "name"), (4, "unit"), (4, "status")}
    assert not RosterMember.objects.exists()


def test_a_roster_outside_ones_jurisdiction_is_refused(tmp_path, units, planner_users):
    path = write(tmp_path, "1,Bripda,Ahmad,polsek-tenggarong,aktif\n")
    with pytest.raises(ImportFailed):
        roster_import(path=path, actor=planner_users["bontang"])


def test_roster_sets_supply_and_names_appear_in_the_annex(tmp_path, units, planner_users):
    rows = "".join(f"{100 + i},Bripda,Orang {i},polsek-tenggarong,{'cuti' if i == 2 else 'aktif'}\n" for i in range(3))
    assert roster_import(path=write(tmp_path, rows), actor=planner_users["polri"]) == 3
    plan = plan_create(area_code="64.02", title="R", options={}, actor=planner_users["polri"])
    polsek = next(u for u in plan.summary["units"] if u["code"] == "polsek-tenggarong")
    assert polsek["supply"]["organik"] == 2  # the one on leave does not serve
    client = client_for(planner_users["polri"])
    page = client.get(reverse("deployment:annex", args=[plan.pk, "polsek-tenggarong"]))
    html = page.content.decode()
    assert "Orang 0" in html and "Orang 1" in html and "Orang 2" not in html
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("deployment:annex_xlsx", args=[plan.pk, "polsek-tenggarong"])).content)
    ).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "64.02.06.1001.001" in cells and "Orang 0" in cells
    pdf = client.get(reverse("deployment:annex_pdf", args=[plan.pk, "polsek-tenggarong"]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Polsek Tenggarong" in text and "Orang" in text


def test_plan_pages_use_a_fixed_number_of_queries(units, planner_users, django_assert_num_queries):
    plan = plan_create(area_code="64.02", title="Q", options={}, actor=planner_users["polri"])
    client = client_for(planner_users["polri"])
    client.get(reverse("deployment:plan", args=[plan.pk]))  # warm caches (session, content types)
    with django_assert_num_queries(8):
        shown = client.get(reverse("deployment:plan", args=[plan.pk])).content
    assert text_of(shown, "plan-posts") == "3" and "9 TPS" in text_of(shown, "plan-cards")
    assert table_rows(shown, "class-table")[0][:3] == ["Kurang rawan", "9", "3"]
    units_shown = {row[0] for row in table_rows(shown, "units-table")}
    assert {"Polsek Tenggarong", "Polres Kukar", "Polres Bontang"} <= units_shown
    with django_assert_num_queries(7):
        listed = client.get(reverse("deployment:index")).content
    assert Plan.objects.count() == 1
    assert [row[:2] for row in table_rows(listed, "plans-table")] == [[str(plan.pk), "Q"]]
