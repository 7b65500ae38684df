"""Issue 11 in the deployment module: units change only within the planner's sector and command
chain; an approved plan keeps its names whatever happens to the roster; a partial view shows only
its part's figures; spreadsheet cells never hold formulas from user text."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.accounts.models import Agency
from sinergi.accounts.roles import AgencyKind
from sinergi.accounts.services import agency_ensure
from sinergi.areas.models import Area
from sinergi.conftest import client_for
from sinergi.core.errors import Forbidden, ImportFailed, NotFound
from sinergi.deployment.models import (
    Plan,
    PlanAssignment,
    PlanPost,
    PlanState,
    RosterMember,
    RosterStatus,
    UnitStrength,
)
from sinergi.deployment.permissions import UNITS
from sinergi.deployment.services import plan_approve, plan_create, plan_new_version, roster_import, strength_set
from testkit.html import table_rows, text_of

pytestmark = pytest.mark.django_db
HEADER = "id_number,rank,name,unit,status\n"


@pytest.fixture
def bontang_units(units):
    """Muara Badak's Polsek (under Polres Bontang) and Koramil (under Kodim 0908), as in the demo."""
    kodim_0908 = agency_ensure(
        code="kodim-0908",
        name="Kodim 0908/Bontang",
        kind=AgencyKind.KODIM,
        area_code="64.74",
        covers=["64.74", "64.02.05"],
    )
    made = {
        "kodim-0908": kodim_0908,
        "polsek-muara-badak": agency_ensure(
            code="polsek-muara-badak",
            name="Polsek Muara Badak",
            kind=AgencyKind.POLSEK,
            area_code="64.02.05",
            parent=units["polres-bontang"],
        ),
        "koramil-muara-badak": agency_ensure(
            code="koramil-muara-badak",
            name="Koramil Muara Badak",
            kind=AgencyKind.KORAMIL,
            area_code="64.02.05",
            parent=kodim_0908,
        ),
    }
    return {**units, **made}


def roster_file(tmp_path, rows: str, name: str = "roster.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


# --- finding: cross-agency writes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "area", "unit", "status"),
    [
        ("tni", "64.02", "polsek-tenggarong", 403),  # a TNI planner and a Polri unit
        ("tni", "64.02", "koramil-muara-badak", 403),  # Kodim 0906 and a Koramil of Kodim 0908
        ("polri", "64.02", "polsek-muara-badak", 403),  # Polres Kukar and a Polsek of Polres Bontang
        ("bontang", "64.02.05", "polsek-tenggarong", 404),  # not even visible to Polres Bontang
        ("observer", "64.02", "polsek-tenggarong", 403),  # read-only role: the area guard refuses
        ("polri", "64.02", "polsek-tenggarong", 302),  # its own Polsek
        ("polri", "64.02", "polres-kukar", 302),  # itself
        ("tni", "64.02", "koramil-tenggarong", 302),  # its own Koramil
        ("tni", "64.02", "satlinmas-kukar", 302),  # the Satlinmas of its area
        ("bontang", "64.02.05", "polsek-muara-badak", 302),  # Polres Bontang's own Polsek
    ],
)
def test_strength_changes_only_within_the_planners_sector_and_chain(
    bontang_units, planner_users, who, area, unit, status
):
    before = UnitStrength.objects.filter(agency__code=unit).values_list("personnel", flat=True).first()
    response = client_for(planner_users[who]).post(
        reverse("deployment:strength_update", args=[area]), {"agency": unit, "personnel": 1}
    )
    assert response.status_code == status, response.content[:300]
    after = UnitStrength.objects.filter(agency__code=unit).values_list("personnel", flat=True).first()
    assert (after == 1) if status == 302 else (after == before)


def test_the_strength_service_checks_the_chain_too(bontang_units, planner_users):
    with pytest.raises(Forbidden):
        strength_set(agency=bontang_units["polsek-tenggarong"], personnel=1, actor=planner_users["tni"])
    with pytest.raises(Forbidden):
        strength_set(agency=bontang_units["polsek-muara-badak"], personnel=1, actor=planner_users["polri"])
    with pytest.raises(NotFound):
        strength_set(agency=bontang_units["polsek-tenggarong"], personnel=1, actor=planner_users["bontang"])
    assert UNITS.can_write(planner_users["bontang"], UNITS.get(planner_users["bontang"], "polsek-muara-badak"))


@pytest.mark.parametrize(
    ("who", "unit"),
    [("tni", "polsek-tenggarong"), ("tni", "koramil-muara-badak"), ("polri", "polsek-muara-badak")],
)
def test_a_roster_of_another_sector_or_chain_is_refused(tmp_path, bontang_units, planner_users, who, unit):
    RosterMember.objects.create(agency=bontang_units[unit], id_number="1", rank="Bripda", name="Asli")
    with pytest.raises(ImportFailed) as error:
        roster_import(
            path=roster_file(tmp_path, f"2,Bripda,Satu Baris,{unit},aktif\n", "x.csv"), actor=planner_users[who]
        )
    assert [(e.line, e.column) for e in error.value.errors] == [(2, "unit")]
    assert list(RosterMember.objects.filter(agency__code=unit).values_list("name", flat=True)) == ["Asli"]
    # The page says so and changes nothing either.
    upload = roster_file(tmp_path, f"3,Bripda,Lewat Halaman,{unit},aktif\n", "y.csv")
    with upload.open("rb") as handle:
        response = client_for(planner_users[who]).post(
            reverse("deployment:roster_upload", args=["64.02"]), {"file": handle}
        )
    assert response.status_code == 302
    assert list(RosterMember.objects.filter(agency__code=unit).values_list("name", flat=True)) == ["Asli"]


def test_the_units_page_offers_only_the_units_one_may_change(bontang_units, planner_users):
    page = client_for(planner_users["tni"]).get(reverse("deployment:units", args=["64.02"]))
    assert page.status_code == 200
    assert {u.code for u in page.context["writable"]} == {"kodim-0906", "koramil-tenggarong", "satlinmas-kukar"}
    assert "polsek-muara-badak" in {u.code for u in page.context["units"]}


# --- finding: an approved plan is frozen -----------------------------------------------------------


def annex_snapshot(client, plan: Plan, unit: str = "polsek-tenggarong") -> tuple[str, list, str]:
    html = client.get(reverse("deployment:annex", args=[plan.pk, unit])).content.decode()
    table = re.search(r'<table[^>]*id="annex-table">.*?</table>', html, re.S)
    xlsx = load_workbook(io.BytesIO(client.get(reverse("deployment:annex_xlsx", args=[plan.pk, unit])).content))
    cells = [[c.value for c in row] for row in xlsx.active.iter_rows()]
    pdf = PdfReader(io.BytesIO(client.get(reverse("deployment:annex_pdf", args=[plan.pk, unit])).content))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    # The footer says when the file was generated (to the minute); the annex itself must not change.
    return (table.group(0) if table else ""), cells, re.sub(r"Dibuat .* WITA", "", text)


def test_an_approved_annex_keeps_its_names_when_the_roster_changes(tmp_path, units, planner_users):
    rows = "".join(f"{100 + i},Bripda,Orang {i},polsek-tenggarong,aktif\n" for i in range(3))
    roster_import(path=roster_file(tmp_path, rows), actor=planner_users["polri"])
    plan = plan_create(area_code="64.02", title="Beku", options={}, actor=planner_users["polri"])
    plan = plan_approve(plan=plan, actor=planner_users["polri"])
    client = client_for(planner_users["polri"])
    before = annex_snapshot(client, plan)
    assigned = list(PlanAssignment.objects.filter(plan=plan).order_by("pk").values_list("agency_id", "people", "names"))
    assert "Orang 0" in before[0] and "Orang 0" in before[2]
    assert any("Orang 0" in str(v) for row in before[1] for v in row)

    RosterMember.objects.filter(id_number="100").update(status=RosterStatus.SICK)  # one officer falls sick
    assert annex_snapshot(client, plan) == before
    roster_import(
        path=roster_file(tmp_path, "900,Bripda,Baru A,polsek-tenggarong,aktif\n", "new.csv"),
        actor=planner_users["polri"],
    )  # the roster is replaced
    assert annex_snapshot(client, plan) == before
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert (
        list(PlanAssignment.objects.filter(plan=plan).order_by("pk").values_list("agency_id", "people", "names"))
        == assigned
    )

    # The new roster makes a new version (a draft), never a changed approval.
    version = plan_new_version(plan=plan, actor=planner_users["polri"])
    assert version.state == PlanState.DRAFT and version.version == 2
    html = client.get(reverse("deployment:annex", args=[version.pk, "polsek-tenggarong"])).content.decode()
    assert "Baru A" in html and "Orang 0" not in html
    assert annex_snapshot(client, plan) == before


# --- finding: a partial view shows only its part ---------------------------------------------------


def test_a_partial_view_shows_its_parts_figures_not_the_plans(units, planner_users, personas, bearer):
    plan = plan_create(area_code="64.02", title="Bagian", options={}, actor=planner_users["polri"])
    mine = list(PlanPost.objects.filter(plan=plan, kecamatan_id="64.02.06"))
    assert mine and len(mine) < plan.summary["posts"]
    demand = sum(p.demand_polri for p in mine)
    assert demand < plan.summary["totals"]["polri"]["demand"]
    client = client_for(personas.field_officer)
    body = client.get(f"/api/v1/deployment/plans/{plan.pk}", headers=bearer(personas.field_officer)).json()
    assert body["full_view"] is False
    assert body["posts"] == len(mine) and body["tps"] == sum(len(p.tps) for p in mine)
    assert body["totals"]["polri"]["demand"] == demand
    assert sum(c["tps"] for c in body["by_class"].values()) == body["tps"]
    assert sum(body["class_sources"].values()) == body["tps"]
    assert body["objective_unmet_weighted"] is None and body["gap"] is None and body["notes"] == []
    page = client.get(reverse("deployment:plan", args=[plan.pk]))
    assert page.context["summary"]["posts"] == len(mine)
    assert page.context["summary"]["totals"]["polri"]["demand"] == demand
    assert 'id="plan-method"' not in page.content.decode()
    index = client.get(reverse("deployment:index"))
    row = next(p for p in index.context["plans"] if p.pk == plan.pk)
    assert row.whole is False
    # The whole view is unchanged.
    whole = (
        client_for(planner_users["polri"])
        .get(f"/api/v1/deployment/plans/{plan.pk}", headers=bearer(planner_users["polri"]))
        .json()
    )
    assert whole["posts"] == plan.summary["posts"] and whole["totals"] == plan.summary["totals"]


# --- finding: formula injection --------------------------------------------------------------------

FORMULA = "=cmd|' /C calc'!A0"


def test_the_annex_xlsx_holds_no_formula_from_user_text(tmp_path, units, planner_users):
    Area.objects.filter(code="64.02.06").update(name=FORMULA)
    Agency.objects.filter(code="polsek-tenggarong").update(name='=HYPERLINK("http://x")')
    roster_import(path=roster_file(tmp_path, f'1,,"{FORMULA}",polsek-tenggarong,aktif\n'), actor=planner_users["polri"])
    plan = plan_create(area_code="64.02", title="+SUM(A1)", options={}, actor=planner_users["polri"])
    content = client_for(planner_users["polri"]).get(
        reverse("deployment:annex_xlsx", args=[plan.pk, "polsek-tenggarong"])
    )
    sheet = load_workbook(io.BytesIO(content.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert any(c.value == "'" + FORMULA for c in cells)
    assert any(FORMULA in str(c.value) for c in cells if c.column == 7)


def test_annex_and_partial_views_use_a_fixed_number_of_queries(
    units, planner_users, personas, bearer, django_assert_num_queries
):
    plan = plan_create(area_code="64.02", title="Q", options={}, actor=planner_users["polri"])
    client = client_for(personas.field_officer)
    annex, detail = (
        reverse("deployment:annex", args=[plan.pk, "polsek-tenggarong"]),
        reverse("deployment:plan", args=[plan.pk]),
    )
    api, headers = f"/api/v1/deployment/plans/{plan.pk}", bearer(personas.field_officer)
    for url in (annex, detail):
        client.get(url)  # warm caches (session, content types)
    client.get(api, headers=headers)
    # The annex reads no roster any more (the names are the plan's own): one query fewer than before.
    with django_assert_num_queries(8):
        shown = client.get(annex).content
    # Tenggarong's two posts (three TPS each), with the polsek's people named on them.
    posts = table_rows(shown, "annex-table")
    assert [row[1] for row in posts] == ["Tenggarong", "Tenggarong"] and len(posts) == 2
    assert all("Polri · Polsek Tenggarong" in row[-1] or "Polri · Polres Kukar" in row[-1] for row in posts)
    # A partial view adds one query: its posts, from which its own figures are counted.
    with django_assert_num_queries(8):
        shown = client.get(detail).content
    assert text_of(shown, "plan-posts") == "2"  # its part only, not the plan's 3 posts
    assert "6 TPS" in text_of(shown, "plan-cards")
    assert [row[0] for row in table_rows(shown, "units-table")] == ["Koramil Tenggarong", "Polsek Tenggarong"]
    with django_assert_num_queries(5):  # token with user, memberships, plan, posts, units
        answer = client.get(api, headers=headers).json()
    assert (answer["posts"], answer["tps"], answer["full_view"]) == (2, 6, False)
    assert [unit["code"] for unit in answer["units"]] == ["koramil-tenggarong", "polsek-tenggarong"]
