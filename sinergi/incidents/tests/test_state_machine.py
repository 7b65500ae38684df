import pytest

from sinergi.accounts.roles import Role
from sinergi.conftest import client_for
from sinergi.incidents import permissions, triage
from sinergi.incidents.models import Report
from sinergi.incidents.tests.factories import bawaslu_analyst, kapolsek, observer, report_make


def test_every_forbidden_pair_is_refused_by_the_table():
    everyone = frozenset(Role.values)
    for action, transition in triage.TRANSITIONS.items():
        for state, _label in triage.STATE_CHOICES:
            if state in transition.sources:
                assert permissions.check_transition(action, state, everyone, "ok") == transition.target
            else:
                with pytest.raises(permissions.TransitionRefused):
                    permissions.check_transition(action, state, everyone, "ok")


def test_roles_outside_the_table_are_refused():
    with pytest.raises(permissions.TransitionRefused, match="peran"):
        permissions.check_transition("verify", triage.State.NEW, {Role.FIELD_OFFICER})
    with pytest.raises(permissions.TransitionRefused, match="catatan"):
        permissions.check_transition("reject", triage.State.NEW, {Role.COORDINATOR}, "  ")
    with pytest.raises(permissions.TransitionRefused, match="peran"):
        permissions.check_transition("verify", triage.State.NEW, {Role.OBSERVER})


@pytest.mark.django_db
def test_api_refuses_forbidden_transitions_and_records_allowed_ones(personas, bearer, client):
    report = report_make(personas.field_officer)
    url = f"/api/v1/incidents/{report.pk}/transitions"
    # A field officer files reports but does not verify them.
    refused = client.post(
        url, {"action": "verify"}, content_type="application/json", headers=bearer(personas.field_officer)
    )
    assert refused.status_code == 422 and refused.json()["code"] == "transition_refused"
    # Resolving a report nobody took up is not a transition its state allows: a conflict.
    police = kapolsek()
    skipped = client.post(
        url, {"action": "resolve", "note": "x"}, content_type="application/json", headers=bearer(police)
    )
    assert skipped.status_code == 409 and skipped.json()["code"] == "state_changed"
    ok = client.post(
        url, {"action": "verify", "note": "cek lapangan"}, content_type="application/json", headers=bearer(police)
    )
    assert ok.status_code == 200 and ok.json()["state"] == "diverifikasi"
    report.refresh_from_db()
    assert report.acknowledged_at is not None
    event = report.events.get(kind="transition")
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        police,
        "baru",
        "diverifikasi",
        "cek lapangan",
    )


@pytest.mark.django_db
def test_read_only_role_gets_403_and_timeline_shows_transitions(personas):
    report = report_make(personas.field_officer)
    response = client_for(observer()).post(f"/laporan/{report.pk}/aksi/", {"action": "verify"})
    assert response.status_code == 403
    analyst = bawaslu_analyst()
    client = client_for(analyst)
    client.post(f"/laporan/{report.pk}/aksi/", {"action": "assign", "note": "ke polsek"})
    client.post(f"/laporan/{report.pk}/aksi/", {"action": "resolve", "note": "pelaku diamankan"})
    assert Report.objects.get(pk=report.pk).state == "selesai"
    page = client.get(f"/laporan/{report.pk}/").content.decode()
    assert "pelaku diamankan" in page and "ke polsek" in page and page.count('class="event-transition"') == 2
