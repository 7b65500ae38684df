"""The report API's schemas have their own OpenAPI component names (Incident...), so that
`POST /incidents` is documented with its own body, not another module's `ReportIn`."""

from sinergi.api import api


def test_post_incidents_is_documented_with_the_incident_body():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    post = schema["paths"]["/api/v1/incidents"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/IncidentIn"
    assert {"category", "area_code", "description", "client_id"} <= set(components["IncidentIn"]["properties"])
    created = post["responses"][201]["content"]["application/json"]["schema"]["$ref"]
    assert created == "#/components/schemas/IncidentOut"
    assert "tracking_code" in components["IncidentOut"]["properties"]
    for name in ["IncidentDetailOut", "IncidentEventOut", "IncidentPage", "IncidentTransitionIn", "IncidentBulkIn"]:
        assert name in components, name
