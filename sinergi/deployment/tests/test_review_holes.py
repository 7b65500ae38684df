"""Holes found by the issue 11 follow-up review, each with the test that failed before its fix."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.accounts.models import Agency
from sinergi.accounts.roles import AgencyKind, Role
from sinergi.accounts.services import agency_ensure
from sinergi.conftest import client_for
from sinergi.core.errors import ImportFailed, ValidationFailed
from sinergi.deployment.models import PersonnelKind, Plan, PlanAssignment, PlanPost, Pool, RosterMember
from sinergi.deployment.services import plan_create, plan_scenario, roster_import
from testkit.builders import user_make

pytestmark = pytest.mark.django_db
HEADER = "id_number,rank,name,unit,status\n"


def roster_file(tmp_path, rows: str, name: str = "roster.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


# --- roster import: hostile and conflicting rows --------------------------------------------------


@pytest.mark.parametrize(("column", "row"), [
    ("name", "1,Bripda,{long},polsek-tenggarong,aktif\n"),
    ("rank", "1,{long},Nama,polsek-tenggarong,aktif\n"),
    ("id_number", "{long},Bripda,Nama,polsek-tenggarong,aktif\n"),
])
def test_over_long_roster_values_are_refused_with_their_line(tmp_path, units, planner_users, column, row):
    RosterMember.objects.create(agency=units["polsek-tenggarong"], id_number="9", rank="Bripda", name="Asli")
    with pytest.raises(ImportFailed) as refused:
        roster_import(path=roster_file(tmp_path, row.format(long="x" * 300)), actor=planner_users["polri"])
    assert [(e.line, e.column) for e in refused.value.errors] == [(2, column)]
    assert list(RosterMember.objects.values_list("name", flat=True)) == ["Asli"]


def test_an_id_number_on_another_units_roster_is_a_row_error_not_a_500(tmp_path, units, planner_users):
    """One person is on one unit's roster. Before, the unique index failed after the old rows were
    deleted (IntegrityError, a 500 on the page), and the error told which unit holds the person."""
    bontang = units["polres-bontang"]
    RosterMember.objects.create(agency=bontang, id_number="777", rank="Brigpol", name="Orang Bontang")
    RosterMember.objects.create(agency=units["polsek-tenggarong"], id_number="1", rank="Bripda", name="Lama")
    rows = "2,Bripda,Baru,polsek-tenggarong,aktif\n777,Bripda,Ganda,polsek-tenggarong,aktif\n"
    with pytest.raises(ImportFailed) as refused:
        roster_import(path=roster_file(tmp_path, rows), actor=planner_users["polri"])
    assert [(e.line, e.column) for e in refused.value.errors] == [(3, "id_number")]
    assert "bontang" not in str(refused.value.errors[0]).lower()
    assert sorted(RosterMember.objects.values_list("name", flat=True)) == ["Lama", "Orang Bontang"]
    with roster_file(tmp_path, rows, "page.csv").open("rb") as handle:
        page = client_for(planner_users["polri"]).post(reverse("deployment:roster_upload", args=["64.02"]), {"file": handle})
    assert page.status_code == 302
    # Moving a person between two units replaced by the same file is fine.
    moved = "777,Brigpol,Orang Bontang,polsek-tenggarong,aktif\n"
    admin = user_make("admin.deploy", Role.ADMIN, "ID", "kemendagri")
    rows_both = moved + "5,Bripda,Pengganti,polres-bontang,aktif\n"
    assert roster_import(path=roster_file(tmp_path, rows_both, "both.csv"), actor=admin) == 2


def test_a_unit_the_uploader_may_not_see_is_unknown_like_a_missing_one(tmp_path, units, planner_users):
    with pytest.raises(ImportFailed) as hidden:
        roster_import(
            path=roster_file(tmp_path, "1,Bripda,Nama,polsek-tenggarong,aktif\n"), actor=planner_users["bontang"]
        )
    with pytest.raises(ImportFailed) as missing:
        roster_import(path=roster_file(tmp_path, "1,Bripda,Nama,polsek-tidak-ada,aktif\n"), actor=planner_users["bontang"])
    assert str(hidden.value.errors[0]).replace("polsek-tenggarong", "X") == str(missing.value.errors[0]).replace(
        "polsek-tidak-ada", "X"
    )


def test_the_roster_command_refuses_an_inactive_user(tmp_path, units, planner_users):
    planner_users["polri"].is_active = False
    planner_users["polri"].save()
    with pytest.raises(CommandError, match="tidak aktif"):
        call_command(
            "deployment_roster", str(roster_file(tmp_path, "1,Bripda,Nama,polsek-tenggarong,aktif\n")),
            "--user", planner_users["polri"].username,
        )
    assert not RosterMember.objects.exists()


# --- plans: over-long text ------------------------------------------------------------------------


def test_over_long_titles_and_client_ids_are_field_errors(units, planner_users, bearer):
    with pytest.raises(ValidationFailed):
        plan_create(area_code="64.02", title="x" * 201, options={}, actor=planner_users["polri"])
    response = Client().post(
        "/api/v1/deployment/plans",
        {"area_code": "64.02", "title": "Ok", "client_id": "c" * 65},
        content_type="application/json",
        headers=bearer(planner_users["polri"]),
    )
    assert response.status_code == 422 and response.json()["field"] == "client_id"
    plan = plan_create(area_code="64.02", title="Dasar", options={}, actor=planner_users["polri"])
    with pytest.raises(ValidationFailed):
        plan_scenario(plan=plan, title="s" * 201, changes={}, actor=planner_users["polri"])
    assert Plan.objects.count() == 1


# --- the annex of a unit, seen in part ------------------------------------------------------------


def test_a_partial_viewer_sees_only_their_parts_posts_in_an_annex(units, planner_users, personas):
    """Polsek Tenggarong sends people to a Muara Badak post (a loan, a wide radius): Panwascam
    Tenggarong, who sees the plan in part, must not read that post and the names of who else is there."""
    plan = plan_create(area_code="64.02", title="Lampiran", options={}, actor=planner_users["polri"])
    far = PlanPost.objects.filter(plan=plan, kecamatan_id="64.02.05").first()
    assert far is not None
    PlanAssignment.objects.create(
        plan=plan, post=far, agency=units["polsek-tenggarong"], pool=Pool.ORGANIC, kind=PersonnelKind.POLRI,
        people=1, km=30.0, names=["Bripda Pinjaman (1)"],
    )
    PlanAssignment.objects.create(
        plan=plan, post=far, agency=units["polres-bontang"], pool=Pool.ORGANIC, kind=PersonnelKind.POLRI,
        people=1, km=1.0, names=["Brigpol Rahasia Bontang (2)"],
    )
    url = reverse("deployment:annex", args=[plan.pk, "polsek-tenggarong"])
    part = client_for(personas.field_officer).get(url)
    assert part.status_code == 200
    text = part.content.decode()
    assert "Rahasia Bontang" not in text and "Pinjaman" not in text
    assert {p.post.kecamatan_id for p in part.context["posts"]} == {"64.02.06"}
    args = [plan.pk, "polsek-tenggarong"]
    xlsx = load_workbook(io.BytesIO(client_for(personas.field_officer).get(reverse("deployment:annex_xlsx", args=args)).content))
    assert not [c for row in xlsx.active.iter_rows() for c in row if "Rahasia" in str(c.value or "")]
    pdf = PdfReader(io.BytesIO(client_for(personas.field_officer).get(reverse("deployment:annex_pdf", args=args)).content))
    assert "Rahasia" not in "".join(p.extract_text() for p in pdf.pages)
    # The planners who keep the unit, and whole viewers, see where its people go.
    for user in (planner_users["polri"], planner_users["observer"]):
        whole = client_for(user).get(url).content.decode()
        assert "Pinjaman" in whole and "Rahasia Bontang" in whole


def test_a_unit_outside_the_users_scope_has_no_annex(units, planner_users, personas):
    plan = plan_create(area_code="64.02", title="Lingkup", options={}, actor=planner_users["polri"])
    assert client_for(personas.field_officer).get(reverse("deployment:annex", args=[plan.pk, "polres-bontang"])).status_code == 404
    agency_ensure(code="polsek-x", name="Polsek X", kind=AgencyKind.POLSEK, area_code="64.02.05")
    assert Agency.objects.filter(code="polsek-x").exists()
    assert client_for(personas.field_officer).get(reverse("deployment:annex", args=[plan.pk, "polsek-x"])).status_code == 404


def test_a_partial_api_view_does_not_show_the_plan_wide_inputs(units, planner_users, personas, bearer):
    base = plan_create(area_code="64.02", title="Dasar", options={}, actor=planner_users["polri"])
    plan = plan_scenario(
        plan=base, title="Skenario", changes={"raise": {"64.02.05": "rawan"}, "reduce": {"polres-bontang": 1}},
        actor=planner_users["polri"],
    )
    part = Client().get(f"/api/v1/deployment/plans/{plan.pk}", headers=bearer(personas.field_officer)).json()
    assert part["full_view"] is False and part["options"] == {}
    assert "polres-bontang" not in str(part) and "64.02.05" not in str(part)
    whole = Client().get(f"/api/v1/deployment/plans/{plan.pk}", headers=bearer(planner_users["polri"])).json()
    assert whole["options"]["reduce"] == {"polres-bontang": 1}


# --- numbers beyond their columns -----------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("personnel", 10**20), ("personnel", 3_000_000_000), ("platoons", 40_000)])
def test_huge_strength_numbers_are_refused_not_a_500(units, planner_users, field, value):
    data = {"agency": "polsek-tenggarong", "personnel": 1, field: value}
    response = client_for(planner_users["polri"]).post(reverse("deployment:strength_update", args=["64.02"]), data)
    assert response.status_code == 302
    assert units["polsek-tenggarong"].strength.personnel != value


def test_a_huge_pattern_number_is_refused_not_a_500(units, planner_users):
    from sinergi.deployment.models import SecurityPattern

    values = {"polri": 40_000, "polri_tps": 1, "tni": 1, "tni_tps": 1, "linmas_per_tps": 2, "risk_weight": 1}
    response = client_for(planner_users["polri"]).post(
        reverse("deployment:patterns"), {"polres": "polres-kukar", "tps_class": "rawan", **values}
    )
    assert response.status_code == 302
    assert not SecurityPattern.objects.filter(polres__code="polres-kukar", polri=40_000).exists()
