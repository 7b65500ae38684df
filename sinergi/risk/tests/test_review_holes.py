"""Holes found by the issue 11 follow-up review, each with the test that failed before its fix."""

import pytest
from django.test import Client

from sinergi.accounts.roles import Role
from sinergi.conftest import client_for
from sinergi.core.errors import ClientIdReused, ImportFailed, ValidationFailed
from sinergi.core.history import history_record
from sinergi.risk import importer, services
from sinergi.risk.models import Checklist, Indicator
from sinergi.risk.tests import factories
from testkit.builders import user_make

TENGGARONG_TPS = "64.02.06.1001.002"


def _outside_tenggarong() -> str:
    return next(c for c in factories.stations() if not c.startswith("64.02.06."))


# --- a reused client id must not show another user's checklist of a TPS one may not read ---------


def test_a_reused_client_id_does_not_show_a_checklist_the_sender_may_not_read(filled, analyst, personas):
    other_tps = _outside_tenggarong()
    services.checklist_submit(
        actor=analyst,
        round_=filled,
        tps_code=other_tps,
        answers=factories.answers_with(filled.instrument, "2.1"),
        note="rahasia Muara",
        client_id="dipakai-1",
    )
    with pytest.raises(ClientIdReused) as refused:
        services.checklist_submit(
            actor=personas.field_officer,
            round_=filled,
            tps_code=TENGGARONG_TPS,
            answers=factories.all_no(filled.instrument),
            client_id="dipakai-1",
        )
    assert refused.value.stored == {}
    assert other_tps not in refused.value.detail and "rahasia" not in refused.value.detail
    # The owner (who reads it) still gets both bodies named.
    with pytest.raises(ClientIdReused) as own:
        services.checklist_submit(
            actor=analyst,
            round_=filled,
            tps_code=other_tps,
            answers=factories.all_no(filled.instrument),
            client_id="dipakai-1",
        )
    assert own.value.stored["tps_code"] == other_tps


def test_an_over_long_client_id_is_a_field_error_not_a_500(filled, analyst, bearer):
    body = {"client_id": "x" * 65, "answers": factories.all_no(filled.instrument)}
    response = Client().put(
        f"/api/v1/risk/tps/{TENGGARONG_TPS}/assessment", body, content_type="application/json", headers=bearer(analyst)
    )
    assert response.status_code == 422 and response.json()["field"] == "client_id"
    assert not Checklist.objects.filter(client_id__startswith="xxx").exists()


# --- hostile counts: superscript digits, huge numbers --------------------------------------------


def _count_code(instrument) -> str:
    return Indicator.objects.filter(instrument=instrument, answer_type="jumlah").values_list("code", flat=True)[0]


@pytest.mark.parametrize("count", ["²", "٣", "１", "9" * 7, "1000001"])
def test_import_refuses_non_ascii_or_huge_counts_with_the_line(tmp_path, kround, analyst, count):
    codes = list(Indicator.objects.filter(instrument=kround.instrument).order_by("position").values_list("code", flat=True))
    counted = _count_code(kround.instrument)
    values = [count if c == counted else "tidak" for c in codes]
    path = tmp_path / "isi.csv"
    path.write_text("tps_code," + ",".join(codes) + "\n" + TENGGARONG_TPS + "," + ",".join(values) + "\n", "utf-8")
    with pytest.raises(ImportFailed) as refused:
        importer.checklists_import(actor=analyst, round_=kround, path=path)
    assert [(e.line, e.column) for e in refused.value.errors] == [(2, counted)]
    assert not Checklist.objects.filter(round=kround).exists()


@pytest.mark.parametrize("count", ["²", "９", "9" * 5000])
def test_the_form_refuses_non_ascii_or_huge_counts(kround, personas, count):
    counted = _count_code(kround.instrument)
    data = {f"a-{c}": "tidak" for c in factories.all_no(kround.instrument)}
    data[f"n-{counted}"] = count
    response = client_for(personas.field_officer).post(
        f"/kerawanan/tps/{TENGGARONG_TPS}/isi/?putaran={kround.slug}", data
    )
    assert response.status_code == 422
    assert not Checklist.objects.filter(round=kround).exists()


def test_the_service_refuses_a_huge_count(kround, analyst):
    answers = factories.all_no(kround.instrument)
    answers[_count_code(kround.instrument)] = {"yes": True, "count": 10**30}
    with pytest.raises(ValidationFailed):
        services.checklist_submit(actor=analyst, round_=kround, tps_code=TENGGARONG_TPS, answers=answers)


# --- a round's history seen in part --------------------------------------------------------------


def test_a_partial_viewer_of_a_round_sees_no_proposals_of_other_areas(filled, analyst, personas):
    other_tps = _outside_tenggarong()
    history_record(
        object_type="risk.round",
        object_key=filled.slug,
        action="proposed",
        actor=analyst,
        changes={"tps": other_tps, "indicator": "2.1", "report": "LAP-RAHASIA-1"},
        area_code=other_tps,
    )
    history_record(
        object_type="risk.round",
        object_key=filled.slug,
        action="proposed",
        actor=analyst,
        changes={"tps": TENGGARONG_TPS, "indicator": "2.1", "report": "LAP-SENDIRI-2"},
        area_code=TENGGARONG_TPS,
    )
    part = client_for(personas.field_officer).get(f"/kerawanan/putaran/{filled.slug}/").content.decode()
    assert "LAP-SENDIRI-2" in part and "LAP-RAHASIA-1" not in part and other_tps not in part
    police = user_make("polisi.bontang", Role.POLICE_PLANNER, "64.02.05", "polres-bontang")
    seen = client_for(police).get(f"/kerawanan/putaran/{filled.slug}/")
    assert seen.status_code == 200
    assert "LAP-SENDIRI-2" not in seen.content.decode()
    whole = client_for(analyst).get(f"/kerawanan/putaran/{filled.slug}/").content.decode()
    assert "LAP-RAHASIA-1" in whole and "LAP-SENDIRI-2" in whole


def test_an_import_file_with_a_long_non_ascii_name_is_not_a_500(kround, analyst):
    from django.core.files.uploadedfile import SimpleUploadedFile

    codes = list(Indicator.objects.filter(instrument=kround.instrument).order_by("position").values_list("code", flat=True))
    text = "tps_code," + ",".join(codes) + "\n" + TENGGARONG_TPS + "," + ",".join("tidak" for _ in codes) + "\n"
    upload = SimpleUploadedFile("é" * 200 + ".csv", text.encode("utf-8"), content_type="text/csv")
    response = client_for(analyst).post(f"/kerawanan/putaran/{kround.slug}/", {"file": upload})
    assert response.status_code == 302
    assert Checklist.objects.filter(round=kround, tps_id=TENGGARONG_TPS).count() == 1


def test_an_import_over_the_size_limit_is_refused_before_it_is_read(kround, analyst, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr("sinergi.risk.views.MAX_IMPORT_BYTES", 10)
    upload = SimpleUploadedFile("besar.csv", b"tps_code\n" + b"x" * 100, content_type="text/csv")
    response = client_for(analyst).post(f"/kerawanan/putaran/{kround.slug}/", {"file": upload})
    assert response.status_code == 422 and "MB" in response.content.decode()


# --- the security class: a Polri planner only where their own agency guards the TPS ---------------


def test_a_polri_planner_overrides_the_class_only_where_their_agency_guards_the_tps(world, analyst, bearer):
    from sinergi.risk.models import SecurityOverride

    muara_badak = next(c for c in factories.stations() if c.startswith("64.02.05."))
    from sinergi.accounts.models import Agency

    Agency.objects.filter(code="polsek-tenggarong").update(parent=Agency.objects.get(code="polres-kukar"))  # as in the demo
    kukar = user_make("polisi.kukar", Role.POLICE_PLANNER, "64.02", "polres-kukar")
    bontang = user_make("polisi.bontang2", Role.POLICE_PLANNER, "64.02.05", "polres-bontang")
    body = {"security_class": "sangat_rawan", "reason": "uji"}

    def post(user, code):
        return Client().post(
            f"/api/v1/risk/tps/{code}/security-class", body, content_type="application/json", headers=bearer(user)
        )

    # Polres Kukar's area holds Muara Badak, but Polres Bontang guards it: refused, by API and form.
    assert post(kukar, muara_badak).status_code == 403
    form = client_for(kukar).post(f"/kerawanan/tps/{muara_badak}/kelas/", body)
    assert form.status_code == 403
    assert not SecurityOverride.objects.filter(tps_id=muara_badak).exists()
    page = client_for(kukar).get(f"/kerawanan/tps/{muara_badak}/")
    assert page.status_code == 200 and page.context["can_override"] is False
    # Its own kecamatan, Polres Bontang in Muara Badak, and Bawaslu anywhere in its area: allowed.
    assert post(kukar, TENGGARONG_TPS).status_code == 200
    assert post(bontang, muara_badak).status_code == 200
    assert post(bontang, TENGGARONG_TPS).status_code == 404  # not even visible outside its areas
    assert post(analyst, muara_badak).status_code == 200
    assert SecurityOverride.objects.filter(tps_id__in=[muara_badak, TENGGARONG_TPS]).count() == 2
