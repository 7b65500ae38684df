"""The route matrix: every page and API operation, as every demo persona and an anonymous client.

Routes are not listed by hand. The test walks the URL configuration and the OpenAPI operations,
reads the rule each route declares (`accounts.guards`), fills the URL with real Kukar objects from
the demo, and expects exactly what the rule gives: 404 where the persona may not see the object,
403 where it may only read and the method writes, the login page or 401 for anonymous callers,
and anything but 401/403/404/500 where it is allowed. Each request runs in a savepoint that is
rolled back, so one persona's POST does not change what the next one sees. No body may name an
object the persona may not see (markers below). A route without a declared rule fails.
"""

import contextlib
import copy
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from PIL import Image

from sinergi.accounts.access import OBJECT_ACCESS, ObjectAccess
from sinergi.accounts.guards import Guard, Rule, rule_of
from sinergi.accounts.tokens import token_create
from sinergi.areas.models import Area
from sinergi.core.errors import Forbidden, NotFound
from sinergi.deployment.models import Plan
from sinergi.grants.models import Agreement
from sinergi.incidents.models import Attachment, Report
from sinergi.incidents.services import attachment_add
from sinergi.meetings.models import ActionItem
from sinergi.meetings.services import action_status_record
from sinergi.situation.models import DailyReport

# Routes whose access the framework itself decides, with who may call them.
FRAMEWORK_ROUTES = {
    "admin/": "Django admin: the national administrator (superuser) only, `urls._national_admin_only`",
    "api/v1/docs": "the API's interactive documentation: public, holds no data",
    "api/v1/openapi.json": "the API schema: public, holds no data",
    "api/v1/": "the API's index: public, holds no data",
}
PERSONAS = [
    "admin",
    "sekda.kukar",
    "kesbangpol.kukar",
    "keuangan.kukar",
    "inspektorat.kukar",
    "kpu.kukar",
    "bawaslu.kukar",
    "panwascam.tenggarong",
    "ptps.tenggarong",
    "polres.kukar",
    "polres.bontang",
    "kodim.0906",
    "pemantau.kukar",
    "kpu.samarinda",
    None,  # anonymous
]
OUTSIDER = "kpu.samarinda"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
ALLOWED = "allowed"
REFUSED_WHEN_ALLOWED = {401, 403, 404, 500}


@dataclass(frozen=True)
class Route:
    """One callable route: a page (all methods through one view) or one API operation."""

    template: str
    methods: tuple[str, ...]
    rule: Rule | None
    api: bool

    @property
    def id(self) -> str:
        return f"{'+'.join(self.methods)} /{self.template}"


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _path_view(callback: Any) -> Any:
    """The django-ninja PathView behind a URL pattern, or None for a plain Django view."""
    for cell in getattr(callback, "__closure__", None) or ():
        if hasattr(cell.cell_contents, "operations"):
            return cell.cell_contents
    return None


def _framework(template: str) -> bool:
    return any(template == p or (p.endswith("/") and p != "api/v1/" and template.startswith(p)) for p in FRAMEWORK_ROUTES)


def all_routes() -> list[Route]:
    routes: dict[str, Route] = {}
    for template, pattern in _walk(get_resolver().url_patterns):
        if _framework(template):
            continue
        path_view = _path_view(pattern.callback)
        if path_view is None:
            route = Route(template, ("GET", "POST"), rule_of(pattern.callback), api=False)
            routes[route.id] = route
            continue
        for op in path_view.operations:
            route = Route(template, tuple(op.methods), rule_of(op), api=True)
            routes[route.id] = route
    return list(routes.values())


ROUTES = all_routes()


def test_every_route_declares_its_access_rule():
    undeclared = [route.id for route in ROUTES if route.rule is None]
    assert not undeclared, "routes without an access rule (accounts.guards): " + ", ".join(undeclared)
    assert len(ROUTES) > 100


def test_framework_routes_are_the_only_exceptions():
    templates = {template for template, _ in _walk(get_resolver().url_patterns)}
    for exempt in FRAMEWORK_ROUTES:
        assert any(t == exempt or t.startswith(exempt) for t in templates), f"{exempt} is no longer a route"


# --- the demo world, loaded once for the module inside a transaction that is rolled back ---


@pytest.fixture(scope="module")
def kukar(demo) -> dict[str, Any]:
    users = {name: demo.users[name] for name in PERSONAS if name}
    return {
        "users": users,
        "clients": _clients(users),
        "samples": {},
        "extra": _extra_params(users),
        "markers": _markers(users),
        "kukar_names": _kukar_names(),
    }


def _clients(users: dict[str, Any]) -> dict[str | None, Client]:
    clients: dict[str | None, Client] = {None: Client()}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


# --- filling URL parameters with real objects ---


def _extra_params(users: dict[str, Any]) -> dict[str, Any]:
    """Values for URL parameters that no object rule samples (a format, an action, a second object),
    by `template:param` or by parameter name; objects the demo lacks are made here."""
    plan = Plan.objects.filter(area_id="64.02", scenario_of__isnull=True).order_by("pk").first()
    scenario = Plan.objects.filter(scenario_of=plan).order_by("pk").first() if plan else None
    report = DailyReport.objects.filter(area_id="64.02").order_by("-report_date").first()
    public_report = Report.objects.filter(channel="public").order_by("pk").first()
    attachment = _attachment(users["kesbangpol.kukar"])
    annex = "pengamanan/rencana/<int:plan_id>/lampiran/<slug:code>"
    download = "situasi/<str:code>/laporan/<str:day>.<str:fmt>"
    token_create(user=users["panwascam.tenggarong"], name="matriks")
    _evidence(users["kesbangpol.kukar"])
    checklist = _checklist_evidence()
    agreement = Agreement.objects.filter(region_id="64.02", recipient__code="kpu-kukar").order_by("pk")[0]
    by_route = {
        f"{route.template}:{name}": value
        for route in ROUTES
        if "election>" in route.template
        for name, value in (("election", agreement.election.slug), ("recipient", agreement.recipient.code))
    }
    return by_route | _app_route_params(users) | {
        "plan_id": plan.pk if plan else None,
        "other_id": scenario.pk if scenario else None,
        "action": "version",
        f"{annex}/:code": "polsek-tenggarong",
        f"{annex}.xlsx:code": "polsek-tenggarong",
        f"{annex}.pdf:code": "polsek-tenggarong",
        "laporan/ekspor.<str:fmt>:fmt": "csv",
        "laporan/lacak/<str:code>/:code": public_report.tracking_code if public_report else None,
        "laporan/<int:report_id>/lampiran/<int:attachment_id>/:report_id": attachment.report_id,
        f"{download}:day": report.report_date.isoformat() if report else None,
        f"{download}:fmt": "pdf",
        f"{download}:code": "64.02",
        "kerawanan/daftar-periksa/<int:pk>/bukti/:pk": checklist.pk if checklist else None,
        "code": "64.02",
    }


def _app_route_params(users: dict[str, Any]) -> dict[str, Any]:
    """An app whose routes take parameters no object rule samples declares them in its own
    `tests/route_params.py` as `def extra_params(users) -> dict` (same keys as above)."""
    params: dict[str, Any] = {}
    for app in settings.SINERGI_APPS:
        if find_spec(f"{app}.tests.route_params") is not None:
            params |= import_module(f"{app}.tests.route_params").extra_params(users)
    return params


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def _attachment(actor: Any) -> Any:
    report = Report.objects.filter(scope_code__startswith="64.02.06").order_by("pk")[0]
    attachment_add(report_id=report.pk, actor=actor, files=[("foto.png", _png())])
    return Attachment.objects.filter(report=report).order_by("-pk").first()


def _evidence(actor: Any) -> None:
    action = ActionItem.objects.filter(decision__meeting__area_id="64.02").order_by("pk")[0]
    action_status_record(actor=actor, action=action, status=action.status, note="bukti foto", files=[("a.png", _png())])


def _checklist_evidence() -> Any:
    """A Tenggarong checklist with evidence (the demo's checklists have none), for the guarded download."""
    from django.core.files.base import ContentFile

    from sinergi.risk.models import Checklist

    checklist = Checklist.objects.filter(tps__code__startswith="64.02.06", is_current=True).order_by("pk").first()
    if checklist is not None:
        checklist.evidence.save("bukti.png", ContentFile(_png()))
    return checklist


def _sample_key(access: ObjectAccess, users: dict[str, Any]) -> Any:
    """A Kukar object of the kind that the narrowest personas see and others do not, if any."""
    for name in ("panwascam.tenggarong", "polres.bontang", "kesbangpol.kukar", "kpu.kukar", "admin"):
        found = access.visible(users[name]).order_by(access.key_field).values_list(access.key_field, flat=True)
        if name == "panwascam.tenggarong":
            found = found.filter(**_kukar_filter(access))
        key = found.first()
        if key is not None:
            return key
    return None


def _kukar_filter(access: ObjectAccess) -> dict[str, Any]:
    return {"code__startswith": "64.02.06"} if access.key_field == "code" else {}


def _url(route: Route, kukar: dict[str, Any]) -> str | None:
    params = re.findall(r"<(?:\w+:)?(\w+)>", route.template)
    values: dict[str, Any] = {}
    rule = route.rule
    extra = kukar["extra"]
    if isinstance(rule, Guard) and rule.param in params and f"{route.template}:{rule.param}" not in extra:
        samples = kukar["samples"]
        if rule.access.kind not in samples:
            samples[rule.access.kind] = _sample_key(rule.access, kukar["users"])
        values[rule.param] = samples[rule.access.kind]
    for name in params:
        if name not in values:
            values[name] = extra.get(f"{route.template}:{name}", extra.get(name))
    if any(v is None for v in values.values()):
        return None
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route.template)
    return "/" + url


# --- what the rule says ---


def expected(route: Route, user: Any, method: str, url: str) -> int | str:
    """The status the route's own rule gives this user and method, asked of the rule directly."""
    rule = route.rule
    assert rule is not None
    if user is None and not rule.public:
        return 401 if route.api else 302
    request = RequestFactory().generic(method, url)
    # A public rule may still refuse anonymous callers: a gateway webhook without the provider's signature.
    request.user = user if user is not None else AnonymousUser()
    request.resolver_match = resolve(url)
    try:
        rule.resolve(request, dict(request.resolver_match.kwargs))
    except NotFound:
        return 404
    except Forbidden:
        return 403
    return ALLOWED


def _call(client: Client, method: str, url: str, api: bool) -> Any:
    # Logging out, logging in or switching the language changes the client's cookies; every call
    # starts from the persona's own session again.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method in ("GET", "HEAD"):
            response = client.get(url)
        else:
            body = "{}" if api else ""
            response = getattr(client, method.lower())(url, body, content_type="application/json")
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def _body(response: Any) -> str:
    kind = response.get("Content-Type", "")
    if not any(t in kind for t in ("text/", "json", "csv")):
        return ""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


# --- markers: text that names an object; a persona who may not see the object must not see its text ---


def _markers(users: dict[str, Any]) -> dict[str, set[str]]:
    """Per persona, distinctive names (a title, a description) of objects it may not read by any rule.

    A model may have several rules (a plan seen whole or in part): an object is hidden only when no
    rule over its model shows it to the persona."""
    by_model: dict[Any, list[ObjectAccess]] = {}
    for access in OBJECT_ACCESS.values():
        by_model.setdefault(access.queryset().model, []).append(access)
    markers: dict[str, set[str]] = {name: set() for name in users}
    for model, accesses in by_model.items():
        field = _marker_field(model)
        if field is None:
            continue
        counts = Counter(model._default_manager.values_list(field, flat=True))
        for name, user in users.items():
            hidden = model._default_manager.all()
            for access in accesses:
                hidden = hidden.exclude(pk__in=access.visible(user).values("pk"))
            for value in hidden.values_list(field, flat=True)[:40]:
                if isinstance(value, str) and len(value) >= 16 and counts[value] == 1:
                    markers[name].add(value)
    return markers


def _marker_field(model: Any) -> str | None:
    fields = {f.name for f in model._meta.get_fields()}
    return next((f for f in ("title", "description", "text") if f in fields), None)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.rule is not None], ids=lambda r: r.id)
def test_route_answers_each_persona_as_its_rule_says(route: Route, kukar):
    rule = route.rule
    assert rule is not None
    url = _url(route, kukar)
    if url is None:
        pytest.fail(f"no demo object to fill {route.template}: add one to _extra_params")
    failures = []
    for persona in PERSONAS:
        user = kukar["users"].get(persona) if persona else None
        for method in route.methods:
            want = expected(route, user, method, url)
            response = _call(kukar["clients"][persona], method, url, route.api)
            got = response.status_code
            ok = (got not in REFUSED_WHEN_ALLOWED) if want == ALLOWED else (got == want)
            if want == 302 and ok:
                ok = "/akun/masuk/" in response.get("Location", "")
            if not ok:
                failures.append(f"{persona or 'anonymous'} {method} {url}: {got}, rule says {want}")
                continue
            # Public pages show public summaries by design, the same to everyone.
            leaked = [] if persona is None or rule.public else _leaks(_markers_for(persona, kukar), _body(response))
            if leaked:
                failures.append(f"{persona} {method} {url}: body names objects it may not see: {leaked[:3]}")
    assert not failures, "\n".join(failures)


def _markers_for(persona: str, kukar: dict[str, Any]) -> set[str]:
    markers = kukar["markers"].get(persona, set())
    if persona == OUTSIDER:
        markers = markers | kukar["kukar_names"]
    return markers


def _kukar_names() -> set[str]:
    """Kukar's kecamatan names that no area of Samarinda (the outsider's city) shares."""
    kukar = set(Area.objects.filter(parent_id="64.02").values_list("name", flat=True))
    return kukar - set(Area.objects.filter(code__startswith="64.72").values_list("name", flat=True))


def _leaks(markers: set[str], body: str) -> list[str]:
    if not body:
        return []
    text = body
    if body.lstrip().startswith(("{", "[")):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(body), ensure_ascii=False)
    return [m for m in markers if m in text]
