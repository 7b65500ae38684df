"""One access layer: every page and operation of the report module declares its rule, objects come
through `permissions` (REPORTS, ATTACHMENTS, AREAS) and the triage rules are decided there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from sinergi.accounts.access import OBJECT_ACCESS
from sinergi.accounts.guards import PUBLIC, Guard, WritesSomewhere, rule_of
from sinergi.api import api
from sinergi.conftest import client_for
from sinergi.incidents import permissions, triage
from sinergi.incidents.tests.factories import TENGGARONG_DESA, bawaslu_analyst, kapolsek, observer, report_make
from testkit.builders import image_bytes


def _incident_views() -> dict[str, object]:
    found: dict[str, object] = {}

    def walk(patterns, namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "incidents":
                found[p.name or str(p.pattern)] = p.callback

    walk(get_resolver().url_patterns)
    return found


def test_every_page_declares_its_rule():
    views = _incident_views()
    assert len(views) == 13
    rules = {name: rule_of(view) for name, view in views.items()}
    assert all(rules.values()), [name for name, rule in rules.items() if rule is None]
    assert rules["public_new"] is PUBLIC and rules["public_track"] is PUBLIC and rules["public_track_code"] is PUBLIC
    assert rules["detail"] == Guard(permissions.REPORTS, "report_id")
    assert rules["act"] == Guard(permissions.REPORTS, "report_id")
    assert rules["attachment"] == Guard(permissions.ATTACHMENTS, "attachment_id", write=False)
    assert isinstance(rules["new"], WritesSomewhere) and isinstance(rules["bulk"], WritesSomewhere)


def test_every_api_operation_declares_its_rule():
    operations = [
        op
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for op in path_view.operations
        if op.view_func.__module__ == "sinergi.incidents.api"
    ]
    assert len(operations) == 7
    assert all(rule_of(op.view_func) is not None for op in operations)
    assert {"incidents.report", "incidents.attachment", "incidents.area"} <= set(OBJECT_ACCESS)


@pytest.mark.django_db
def test_a_reader_is_refused_before_the_body_is_read(personas, bearer, client):
    report = report_make(personas.field_officer)
    reader = observer()
    response = client.post(
        f"/api/v1/incidents/{report.pk}/transitions", "{}", content_type="application/json", headers=bearer(reader)
    )
    assert response.status_code == 403
    for url in ["/api/v1/incidents", "/api/v1/incidents/bulk-transitions"]:
        assert client.post(url, "{}", content_type="application/json", headers=bearer(reader)).status_code == 403
    assert client.post(f"/api/v1/incidents/{report.pk}/claim", headers=bearer(reader)).status_code == 403
    web = client_for(reader)
    assert web.get("/laporan/baru/").status_code == 403
    assert web.post("/laporan/aksi-massal/", {"ids": [report.pk], "action": "verify"}).status_code == 403
    assert web.get(f"/laporan/{report.pk}/").status_code == 200
    assert web.get("/laporan/").status_code == 200


@pytest.mark.django_db
def test_an_attachment_is_served_only_under_its_own_report(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.field_officer)
    photo = SimpleUploadedFile("foto.png", image_bytes("PNG"), "image/png")
    form = {"category": "bencana", "area_code": TENGGARONG_DESA, "description": "Banjir", "attachments": [photo]}
    client.post("/laporan/baru/", {**form, "client_id": "web-a"})
    other = report_make(personas.field_officer, description="Laporan lain tanpa lampiran")
    from sinergi.incidents.models import Attachment

    item = Attachment.objects.get()
    assert client.get(f"/laporan/{item.report_id}/lampiran/{item.pk}/").status_code == 200
    assert client.get(f"/laporan/{other.pk}/lampiran/{item.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_triage_rules_are_decided_in_permissions(personas):
    report = report_make(personas.field_officer)
    police, analyst, reader = kapolsek(), bawaslu_analyst(), observer()
    assert permissions.allowed_actions(reader, report) == []
    assert "verify" not in permissions.allowed_actions(personas.field_officer, report)
    assert {"verify", "assign", "reject"} <= set(permissions.allowed_actions(police, report))
    assert permissions.claim_refusal(police, report) is None
    assert permissions.claim_refusal(reader, report)
    assert permissions.can_see_personal(analyst, report) and not permissions.can_see_personal(reader, report)
    # triage.py is data only: no function there decides anything.
    assert not hasattr(triage, "check_transition") and not hasattr(triage, "allowed_actions")
