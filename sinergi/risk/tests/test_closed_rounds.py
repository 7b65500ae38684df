"""A closed round is immutable: a report verified after closing becomes a proposal for the next round,
and every write path (form, API, import, recompute) refuses the closed round, naming it."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sinergi.conftest import client_for
from sinergi.core.errors import Conflict
from sinergi.risk import recompute, services
from sinergi.risk.models import AreaRollup, AssessmentRound, Checklist, ProposedChange, RoundStatus
from sinergi.risk.tests import factories

QUIET_TPS = "64.02.06.1001.003"  # answered all-no in `filled`


def snapshot(round_: AssessmentRound) -> dict:
    rollups = {
        r.area_id: (r.tps_assessed, r.tps_flagged, r.score_sum, r.index, r.by_indicator, r.by_class)
        for r in AreaRollup.objects.filter(round=round_)
    }
    checklists = list(
        Checklist.objects.filter(round=round_).order_by("id").values_list("id", "version", "is_current", "yes_mask")
    )
    return {"rollups": rollups, "checklists": checklists}


@pytest.fixture
def closed(filled, analyst):
    services.round_set_status(actor=analyst, round_=filled, status=RoundStatus.CLOSED)
    filled.refresh_from_db()
    return filled


def next_round(analyst, slug: str = "r2") -> AssessmentRound:
    return services.round_create(
        actor=analyst,
        instrument=factories.pilkada(),
        area_code="64.02",
        name="Pemutakhiran Desember",
        slug=slug,
        window_start=dt.date(2024, 12, 1),
        window_end=dt.date(2024, 12, 5),
    )


def test_a_verified_report_does_not_change_a_closed_round(closed, analyst):
    before = snapshot(closed)
    flagged = AreaRollup.objects.get(round=closed, area_id="64.02").tps_flagged
    outcome = services.indicator_set_from_report(
        tps_code=QUIET_TPS, indicator_code="2.1", report_ref="LAP-2024-0042", actor=analyst
    )
    assert not outcome and outcome.proposed and outcome.round_slug == closed.slug
    assert snapshot(closed) == before
    assert AreaRollup.objects.get(round=closed, area_id="64.02").tps_flagged == flagged
    proposal = ProposedChange.objects.get()
    assert (proposal.tps_id, proposal.indicator_code, proposal.report_ref) == (QUIET_TPS, "2.1", "LAP-2024-0042")
    assert proposal.source_round == closed and proposal.applied_at is None
    # Verifying the same report again records nothing new.
    services.indicator_set_from_report(
        tps_code=QUIET_TPS, indicator_code="2.1", report_ref="LAP-2024-0042", actor=analyst
    )
    assert ProposedChange.objects.count() == 1


def test_an_open_round_still_takes_the_report_directly(filled, analyst):
    outcome = services.indicator_set_from_report(
        tps_code=QUIET_TPS, indicator_code="2.1", report_ref="L1", actor=analyst
    )
    assert outcome.applied and not outcome.proposed
    assert Checklist.objects.get(tps_id=QUIET_TPS, is_current=True).answers["2.1"]["yes"]
    assert not ProposedChange.objects.exists()


def test_the_proposal_shows_on_both_rounds_and_bawaslu_applies_it_to_the_next(closed, analyst, personas):
    services.indicator_set_from_report(tps_code=QUIET_TPS, indicator_code="2.1", report_ref="LAP-9", actor=analyst)
    before = snapshot(closed)
    page = client_for(analyst).get(f"/kerawanan/putaran/{closed.slug}/").content.decode()
    assert "Usulan untuk putaran berikutnya" in page and "LAP-9" in page and QUIET_TPS in page
    assert "menunggu putaran berikutnya" in page  # no open round yet
    later = next_round(analyst)
    page = client_for(analyst).get(f"/kerawanan/putaran/{later.slug}/").content.decode()
    assert "Usulan dari putaran sebelumnya" in page and "LAP-9" in page and "Terapkan ke putaran ini" in page
    proposal = ProposedChange.objects.get()
    # A reader sees it but may not apply it; the field officer fills checklists but does not decide this.
    reader_page = client_for(personas.coordinator).get(f"/kerawanan/putaran/{later.slug}/").content.decode()
    assert "LAP-9" in reader_page and "Terapkan ke putaran ini" not in reader_page
    assert client_for(personas.coordinator).post(f"/kerawanan/usulan/{proposal.pk}/terapkan/").status_code == 403
    assert client_for(personas.field_officer).post(f"/kerawanan/usulan/{proposal.pk}/terapkan/").status_code == 403
    assert client_for(personas.outsider).post(f"/kerawanan/usulan/{proposal.pk}/terapkan/").status_code == 404
    response = client_for(analyst).post(f"/kerawanan/usulan/{proposal.pk}/terapkan/")
    assert response.status_code == 302 and response["Location"] == f"/kerawanan/putaran/{later.slug}/"
    applied = Checklist.objects.get(round=later, tps_id=QUIET_TPS, is_current=True)
    assert applied.answers["2.1"]["yes"] and "LAP-9" in applied.note
    assert AreaRollup.objects.get(round=later, area_id="64.02").tps_flagged == 1
    proposal.refresh_from_db()
    assert proposal.applied_to == later and proposal.applied_checklist == applied
    assert snapshot(closed) == before
    # Once applied, it cannot be applied twice and both pages say where it went.
    assert client_for(analyst).post(f"/kerawanan/usulan/{proposal.pk}/terapkan/").status_code == 403
    for slug in (closed.slug, later.slug):
        assert "diterapkan ke" in client_for(analyst).get(f"/kerawanan/putaran/{slug}/").content.decode()


def test_applying_without_an_open_next_round_is_a_conflict(closed, analyst):
    services.indicator_set_from_report(tps_code=QUIET_TPS, indicator_code="2.1", report_ref="L2", actor=analyst)
    proposal = ProposedChange.objects.get()
    with pytest.raises(Conflict, match="buka putaran berikutnya"):
        services.proposal_apply(actor=analyst, proposal_id=proposal.pk)
    assert client_for(analyst).post(f"/kerawanan/usulan/{proposal.pk}/terapkan/").status_code == 409


def test_every_write_path_refuses_a_closed_round_naming_it(closed, analyst, bearer, tmp_path):
    before = snapshot(closed)
    answers = factories.answers_with(closed.instrument, "2.1")
    with pytest.raises(Conflict, match=closed.slug):
        services.checklist_submit(actor=analyst, round_=closed, tps_code=QUIET_TPS, answers=answers)
    # API with the round named
    response = Client().put(
        f"/api/v1/risk/tps/{QUIET_TPS}/assessment",
        {"client_id": "c-1", "round": closed.slug, "answers": answers},
        content_type="application/json",
        headers=bearer(analyst),
    )
    assert response.status_code == 409 and closed.slug in response.json()["detail"]
    # The web form, shown or posted
    web = client_for(analyst)
    form_url = f"/kerawanan/tps/{QUIET_TPS}/isi/?putaran={closed.slug}"
    assert web.get(form_url).status_code == 409
    posted = web.post(form_url, {f"a-{c}": "tidak" for c in answers})
    assert posted.status_code == 409 and closed.slug in posted.content.decode()
    # The import on the round page: refused by the round rule before the file is read
    csv = tmp_path / "impor.csv"
    csv.write_text("tps_code," + ",".join(answers) + "\n" + QUIET_TPS + "," + ",".join("ya" for _ in answers) + "\n")
    with csv.open("rb") as handle:
        refused = web.post(f"/kerawanan/putaran/{closed.slug}/", {"file": handle})
    assert refused.status_code == 403 and closed.slug in refused.content.decode()
    # Recompute (admin action, command, function)
    with pytest.raises(Conflict, match=closed.slug):
        recompute.round_recompute(closed)
    with pytest.raises(CommandError, match=closed.slug):
        call_command("risk_recompute", closed.slug)
    assert snapshot(closed) == before


def test_a_security_override_changes_no_round_data(closed, analyst):
    before = snapshot(closed)
    services.security_override_set(actor=analyst, tps_code=QUIET_TPS, security_class="khusus", reason="rutan")
    assert snapshot(closed) == before


def test_reopening_is_bawaslus_explicit_act_and_allows_writes_again(closed, analyst, personas):
    assert (
        client_for(personas.coordinator)
        .post(f"/kerawanan/putaran/{closed.slug}/status/", {"status": "terbuka"})
        .status_code
        == 403
    )
    services.round_set_status(actor=analyst, round_=closed, status=RoundStatus.OPEN)
    answers = factories.answers_with(closed.instrument, "2.1")
    assert services.checklist_submit(actor=analyst, round_=closed, tps_code=QUIET_TPS, answers=answers).version == 2


def test_the_api_lists_and_applies_proposals(closed, analyst, personas, bearer):
    services.indicator_set_from_report(tps_code=QUIET_TPS, indicator_code="2.1", report_ref="LAP-API", actor=analyst)
    api = Client()
    listed = api.get(f"/api/v1/risk/rounds/{closed.slug}/proposals", headers=bearer(personas.coordinator)).json()
    assert [(p["tps_code"], p["report_ref"], p["can_apply"]) for p in listed] == [(QUIET_TPS, "LAP-API", False)]
    assert api.get(f"/api/v1/risk/rounds/{closed.slug}/proposals", headers=bearer(personas.outsider)).status_code == 404
    pk = listed[0]["id"]
    assert api.post(f"/api/v1/risk/proposals/{pk}/apply", headers=bearer(analyst)).status_code == 409  # no next round
    later = next_round(analyst)
    taken = api.get(f"/api/v1/risk/rounds/{later.slug}/proposals", headers=bearer(analyst)).json()
    assert [p["can_apply"] for p in taken] == [True]
    assert api.post(f"/api/v1/risk/proposals/{pk}/apply", headers=bearer(personas.coordinator)).status_code == 403
    applied = api.post(f"/api/v1/risk/proposals/{pk}/apply", headers=bearer(analyst))
    assert applied.status_code == 200 and applied.json()["round"]["slug"] == later.slug
    assert applied.json()["answers"]["2.1"]["yes"] is True


def test_a_verified_incident_leaves_the_closed_rounds_counts_as_published(closed, analyst, personas):
    """End to end through incidents: verifying a TPS report proposes, it does not flag one more TPS."""
    from sinergi.incidents.services import report_transition
    from sinergi.incidents.tests.factories import kapolsek, report_make

    before = snapshot(closed)
    flagged = AreaRollup.objects.get(round=closed, area_id="64.02").tps_flagged
    report = report_make(personas.field_officer, category="intimidasi-kekerasan", area_code=QUIET_TPS)
    report_transition(report_id=report.pk, actor=kapolsek(), action="verify")
    assert snapshot(closed) == before
    assert AreaRollup.objects.get(round=closed, area_id="64.02").tps_flagged == flagged
    proposal = ProposedChange.objects.get()
    assert (proposal.tps_id, proposal.indicator_code, proposal.source_round) == (QUIET_TPS, "2.2", closed)
    assert str(report.pk) in proposal.report_ref
    page = client_for(analyst).get(f"/kerawanan/putaran/{closed.slug}/").content.decode()
    assert proposal.report_ref in page
