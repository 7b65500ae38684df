"""Who sees what: the outsider gets 404 on every URL and endpoint, read-only roles 403 on writes."""

import pytest
from django.test import Client

from sinergi.accounts.models import Agency
from sinergi.accounts.roles import Role
from sinergi.conftest import client_for
from sinergi.risk.tests import factories
from testkit.builders import user_make

TPS = "64.02.06.1001.001"


def page_urls(slug: str) -> list[str]:
    return [
        f"/kerawanan/putaran/{slug}/",
        f"/kerawanan/putaran/{slug}/templat.csv",
        f"/kerawanan/tps/{TPS}/",
        f"/kerawanan/tps/{TPS}/isi/",
        "/kerawanan/wilayah/64.02/",
        "/kerawanan/wilayah/64.02.06/",
        "/kerawanan/wilayah/64.02/tps/",
        "/kerawanan/wilayah/64.02/bandingkan/",
        "/kerawanan/wilayah/64.02/ekspor/?format=xlsx",
        "/kerawanan/wilayah/64.02/ekspor/?isi=tps",
    ]


API_GETS = ["/api/v1/risk/areas/64.02", "/api/v1/risk/areas/64.02/tps", f"/api/v1/risk/tps/{TPS}"]


def test_outsider_gets_404_everywhere(filled, personas, bearer):
    client = client_for(personas.outsider)
    assert client.get("/kerawanan/")["Location"] == "/kerawanan/wilayah/64.72/"  # their own area, not Kukar
    for url in page_urls(filled.slug):
        assert client.get(url).status_code == 404, url
    for url in [
        f"/kerawanan/tps/{TPS}/isi/",
        f"/kerawanan/tps/{TPS}/kelas/",
        f"/kerawanan/putaran/{filled.slug}/",
        f"/kerawanan/putaran/{filled.slug}/status/",
    ]:
        assert client.post(url, {"status": "ditutup", "reason": "x", "security_class": "rawan"}).status_code == 404, url
    api = Client()
    for url in API_GETS:
        assert api.get(url, headers=bearer(personas.outsider)).status_code == 404, url
    body = {"client_id": "x1", "answers": {}}
    assert (
        api.put(
            f"/api/v1/risk/tps/{TPS}/assessment",
            body,
            content_type="application/json",
            headers=bearer(personas.outsider),
        ).status_code
        == 404
    )
    assert (
        api.post(
            f"/api/v1/risk/tps/{TPS}/security-class",
            {"security_class": "rawan", "reason": "x"},
            content_type="application/json",
            headers=bearer(personas.outsider),
        ).status_code
        == 404
    )
    assert api.get("/api/v1/risk/rounds", headers=bearer(personas.outsider)).json() == []


def test_outsider_sees_no_round_in_the_list(filled, personas):
    response = client_for(personas.outsider).get("/kerawanan/putaran/")
    assert filled.name not in response.content.decode()


@pytest.mark.parametrize(
    "role",
    [Role.COORDINATOR, Role.KPU_OPERATOR, Role.POLICE_PLANNER, Role.MILITARY_PLANNER, Role.OBSERVER, Role.LEADER],
)
def test_read_only_roles_read_but_get_403_on_writes(filled, personas, bearer, role):
    agency = {"operator_kpu": "kpu-kukar", "perencana_polri": "polres-kukar", "perencana_tni": "kodim-0906"}.get(
        role, "pemkab-kukar"
    )
    user = user_make(f"u-{role}", role, "64.02", agency)
    client = client_for(user)
    assert client.get("/kerawanan/wilayah/64.02/").status_code == 200
    assert client.get(f"/kerawanan/tps/{TPS}/isi/").status_code == 403
    assert client.post(f"/kerawanan/putaran/{filled.slug}/status/", {"status": "ditutup"}).status_code == 403
    assert client.post(f"/kerawanan/putaran/{filled.slug}/", {}).status_code == 403
    answers = factories.all_no(filled.instrument)
    response = Client().put(
        f"/api/v1/risk/tps/{TPS}/assessment",
        {"client_id": f"c-{role}", "answers": answers},
        content_type="application/json",
        headers=bearer(user),
    )
    assert response.status_code == 403
    expected = 200 if role == Role.POLICE_PLANNER else 403
    # Polres Kukar sets the class of TPS its own Polsek guards (the small world leaves the parent out).
    Agency.objects.filter(code="polsek-tenggarong").update(parent=Agency.objects.get(code="polres-kukar"))
    override = client.post(f"/kerawanan/tps/{TPS}/kelas/", {"security_class": "rawan", "reason": "patroli"})
    assert override.status_code == (302 if expected == 200 else 403)


def test_roles_without_business_here_see_nothing(filled):
    user = user_make("bendahara", Role.FINANCE, "64.02", "pemkab-kukar")
    assert client_for(user).get("/kerawanan/wilayah/64.02/").status_code == 404


def test_field_officer_writes_only_in_own_kecamatan(filled, personas):
    client = client_for(personas.field_officer)
    assert client.get(f"/kerawanan/tps/{TPS}/isi/").status_code == 200
    assert client.get("/kerawanan/tps/64.02.05.2001.001/isi/").status_code == 404
    assert client.get("/kerawanan/wilayah/64.02/").status_code == 404
    assert client.get("/kerawanan/wilayah/64.02.06/").status_code == 200


def test_anonymous_is_sent_to_login():
    response = Client().get("/kerawanan/wilayah/64.02/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_national_admin_sees_every_round(filled, personas):
    client = client_for(personas.national_admin)
    assert client.get("/kerawanan/wilayah/64.02/").status_code == 200
    assert filled.name in client.get("/kerawanan/putaran/").content.decode()


# --- one access layer: every route declares its rule, and the rule is the one that answers ------


def test_every_risk_route_declares_its_rule():
    from sinergi.accounts.guards import PUBLIC, rule_of
    from sinergi.risk import api, urls

    for pattern in urls.urlpatterns:
        rule = rule_of(pattern.callback)
        assert rule is not None and rule is not PUBLIC, pattern.name
    for path_view in api.router.path_operations.values():
        for op in path_view.operations:
            assert rule_of(op.view_func) is not None, op.view_func.__name__


def test_readers_get_403_before_the_body_is_read(filled, personas, bearer):
    """No body at all: the rule answers (403 for a reader, 404 for an outsider), not validation (422)."""
    api = Client()
    url = f"/api/v1/risk/tps/{TPS}/assessment"
    assert api.put(url, "{}", content_type="application/json", headers=bearer(personas.coordinator)).status_code == 403
    assert api.put(url, "{}", content_type="application/json", headers=bearer(personas.outsider)).status_code == 404
    assert (
        api.put(url, "{}", content_type="application/json", headers=bearer(personas.field_officer)).status_code == 422
    )
    override = f"/api/v1/risk/tps/{TPS}/security-class"
    assert (
        api.post(override, "{}", content_type="application/json", headers=bearer(personas.coordinator)).status_code
        == 403
    )


def test_roles_without_risk_scope_are_signed_in_not_refused(filled):
    """Signed-in routes answer everyone signed in; the lists they show come from `.visible` (empty here)."""
    user = user_make("bendahara", Role.FINANCE, "64.02", "pemkab-kukar")
    client = client_for(user)
    assert client.get("/kerawanan/")["Location"] == "/kerawanan/putaran/"
    rounds = client.get("/kerawanan/putaran/")
    assert rounds.status_code == 200 and filled.name not in rounds.content.decode()
    assert client.get("/kerawanan/instrumen/").status_code == 200
    assert client.post("/kerawanan/putaran/baru/", {}).status_code == 403
    assert client.get(f"/kerawanan/putaran/{filled.slug}/").status_code == 404


def test_lists_and_objects_follow_the_same_rule(filled, personas):
    from sinergi.risk.permissions import AREAS, CHECKLISTS, ROUND
    from sinergi.risk.permissions import TPS as TPS_ACCESS

    officer = personas.field_officer  # Panwascam Tenggarong, 64.02.06
    assert set(CHECKLISTS.visible(officer).values_list("tps_id", flat=True)) == {
        c for c in factories.stations() if c.startswith("64.02.06.")
    }
    assert ROUND.visible(officer).filter(pk=filled.pk).exists()  # a regency round contains their kecamatan
    assert TPS_ACCESS.get(officer, TPS, write=True).code == TPS
    assert not AREAS.visible(officer).filter(code="64.02").exists()


def test_a_closed_round_refuses_import_by_the_round_rule(filled, analyst):
    from sinergi.core.errors import Forbidden
    from sinergi.risk import services
    from sinergi.risk.permissions import ROUND, ROUND_CHECKLISTS

    services.round_set_status(actor=analyst, round_=filled, status="ditutup")
    with pytest.raises(Forbidden, match=filled.slug):
        ROUND_CHECKLISTS.get(analyst, filled.slug, write=True)
    assert ROUND.get(analyst, filled.slug, write=True) == filled  # reopening stays possible
