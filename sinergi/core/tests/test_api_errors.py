"""Every API failure answers JSON in the one error shape, 500 included, with no traceback in the
body, in demo mode and outside it; and the OpenAPI document says so (issue 11)."""

import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client

from sinergi.api import DOCUMENTED_ERRORS, api
from sinergi.core.tests.urls_failing import SECRET

GATEWAY = {"sender": "+6281200000001", "text": "INFO", "token": "demo-sms-token"}


def assert_json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["detail"]
    text = response.content.decode()
    assert "Traceback" not in text and SECRET not in text
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["production", "demo"])
def test_an_unexpected_exception_in_an_operation_is_a_logged_json_500(world, settings, caplog, debug):
    settings.DEBUG = debug

    def database_fails_on_sms(execute, sql, params, many, context):
        # The outside failing (the database, mid-operation); the real SMS operation meets it.
        if "inboundsms" in sql.lower():
            raise OperationalError(SECRET)
        return execute(sql, params, many, context)

    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="sinergi.api"), connection.execute_wrapper(database_fails_on_sms):
        response = client.post("/api/v1/sms/inbound", GATEWAY, content_type="application/json")
    body = assert_json_error(response, 500, "server_error")
    logged = [r for r in caplog.records if r.name == "sinergi.api"]
    assert logged and logged[0].exc_info and SECRET in str(logged[0].exc_info[1])
    reference = logged[0].args[0]
    assert reference in body["detail"]  # the operator finds the log line from what the caller quotes


@pytest.mark.django_db
@pytest.mark.urls("sinergi.core.tests.urls_failing")
def test_failures_outside_ninja_under_api_are_json_too(world, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    assert_json_error(client.get("/api/boom/"), 500, "server_error")
    assert_json_error(client.get("/api/denied/"), 403, "forbidden")
    assert_json_error(client.get("/api/v1/tidak-ada-di-sini"), 404, "not_found")
    assert_json_error(client.get("/api/v2/areas"), 404, "not_found")
    # Pages keep their HTML error pages.
    page = client.get("/boom/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
    assert SECRET not in page.content.decode()
    assert client.get("/tidak-ada/")["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_errors_keep_their_shape(world, personas):
    client = Client()
    assert_json_error(client.get("/api/v1/areas/64.02"), 401, "unauthenticated")
    client.force_login(personas.coordinator)
    assert_json_error(client.get("/api/v1/areas/99.99.99"), 404, "not_found")


@pytest.mark.django_db
def test_a_form_body_sent_to_a_json_operation_is_a_415_not_a_500(world, personas):
    """The CSRF check and the sanitiser parse a form body before the operation reads its JSON."""
    client = Client()
    client.force_login(personas.coordinator)
    response = client.post("/api/v1/meetings", {"title": "Rakor"})  # multipart, the test client's default
    assert_json_error(response, 415, "unsupported_media_type")


def _operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, details in methods.items():
            yield f"{method.upper()} {path}", details


def test_every_operation_documents_the_error_responses_with_the_shared_schema():
    schema = api.get_openapi_schema()
    error = schema["components"]["schemas"]["Error"]
    assert {"code", "detail", "field", "errors"} <= set(error["properties"])
    assert set(error["required"]) == {"code", "detail"}
    missing = []
    for name, details in _operations(schema):
        responses = {int(status): body for status, body in details["responses"].items()}
        wanted = [s for s in DOCUMENTED_ERRORS if s != 401 or details.get("security")]
        for status in wanted:
            if status not in responses or "content" not in responses[status]:
                missing.append(f"{name} {status}")
    assert missing == []
    sms = schema["paths"]["/api/v1/sms/inbound"]["post"]["responses"]
    assert 401 not in sms and "401" not in sms  # public: the gateway's token is in the body
    assert sms[403]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def _models_of(annotation, seen: set) -> None:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_of(field.annotation, seen)
        return
    for arg in get_args(annotation):
        _models_of(arg, seen)


def test_no_two_schema_classes_share_a_component_name_with_different_definitions():
    """Ninja files every schema class under its class name and silently keeps the last one, so two
    `ReportIn` classes document one operation with the other's body."""
    api.get_openapi_schema()  # binds the routers
    top_level: set = set()
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for op in path_view.operations:
                top_level.update(op.models)
                top_level.update(m for m in op.response_models.values() if isinstance(m, type))
    found: set = set()
    for wrapper in top_level:  # ninja's own wrappers (body params, response) are not components
        for field in wrapper.model_fields.values():
            _models_of(field.annotation, found)
    by_name: dict[str, dict] = {}
    clashes = []
    for model in sorted(found, key=lambda m: f"{m.__module__}.{m.__qualname__}"):
        definition = model.model_json_schema()
        name = model.__name__
        if name in by_name and by_name[name]["definition"] != definition:
            clashes.append(f"{name}: {by_name[name]['where']} vs {model.__module__}.{model.__qualname__}")
        by_name.setdefault(name, {"definition": definition, "where": f"{model.__module__}.{model.__qualname__}"})
    assert clashes == []


@pytest.mark.django_db
@pytest.mark.urls("sinergi.core.tests.urls_failing")
def test_demo_mode_debug_pages_and_ninja_405_are_json_under_api(world, settings):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    assert_json_error(client.get("/api/boom/"), 500, "server_error")
    assert_json_error(client.get("/api/v1/tidak-ada-di-sini"), 404, "not_found")
    not_allowed = client.get("/api/v1/sms/inbound")  # a POST-only operation
    assert_json_error(not_allowed, 405, "method_not_allowed")
    assert not_allowed["Allow"] == "POST"
    assert client.get("/api/v1/docs")["Content-Type"].startswith("text/html")  # successes are left alone
