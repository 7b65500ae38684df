import tempfile
from pathlib import Path

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.accounts.guards import SIGNED_IN, Guard, WritesSomewhere, guarded, page
from sinergi.accounts.models import AuthedRequest
from sinergi.areas.models import Area
from sinergi.core.documents import attachment
from sinergi.core.errors import ImportFailed, NotFound, ValidationFailed
from sinergi.core.web import domain_errors_as_pages
from sinergi.deployment import exports, selectors, services
from sinergi.deployment.models import Plan, SecurityPattern, TpsClass
from sinergi.deployment.permissions import (
    ANNEX,
    APPROVAL,
    AREAS,
    DEPLOYMENT,
    PLAN_APPROVAL,
    PLANS,
    UNITS,
    WHOLE_PLANS,
    NearUnits,
    annex_unit,
    sees_whole,
    units_near,
)

MAX_ROSTER_BYTES = 5 * 1024 * 1024
PATTERN_FIELDS = ("polri", "polri_tps", "tni", "tni_tps", "linmas_per_tps", "risk_weight")


@page(SIGNED_IN)
@domain_errors_as_pages
def index(request: AuthedRequest) -> HttpResponse:
    # The menu shows this page to everyone (telling who has units near would cost every page a
    # query): a user whose areas no security unit covers is told so, with 200 rather than a 404.
    if not units_near(request.user):
        context = {"plans": [], "write_scopes": [], "read_scopes": [], "no_units": True}
        return render(request, "deployment/index.html", context)
    plans = list(PLANS.visible(request.user).order_by("-created_at")[:100])
    for plan in plans:
        plan.whole = sees_whole(request.user, plan)  # type: ignore[attr-defined]
    context = {
        "plans": plans,
        "write_scopes": Area.objects.filter(code__in=DEPLOYMENT.write_scopes(request.user)).order_by("code"),
        "read_scopes": DEPLOYMENT.read_scopes(request.user),
    }
    return render(request, "deployment/index.html", context)


@page(WritesSomewhere(DEPLOYMENT))
@require_POST
@domain_errors_as_pages
def plan_create(request: AuthedRequest) -> HttpResponse:
    try:
        plan = services.plan_create(
            area_code=request.POST.get("area_code", ""),
            title=request.POST.get("title", ""),
            options=_options_from(request),
            actor=request.user,
            client_id=request.POST.get("client_id") or None,
        )
    except ValidationFailed as exc:
        messages.error(request, exc.detail)
        return redirect("deployment:index")
    return redirect("deployment:plan", plan_id=plan.pk)


def _options_from(request: AuthedRequest) -> dict:
    options: dict = {}
    if request.POST.get("solver") == "greedy":
        options["solver"] = "greedy"
    if request.POST.get("radius_km"):
        options["radius_km"] = request.POST["radius_km"]
    return options


@page(Guard(PLANS, "plan_id"))
@require_GET
@domain_errors_as_pages
def plan_detail(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = guarded(request, PLANS)
    access = selectors.plan_view(request.user, plan)
    summary = selectors.plan_summary(access)
    context = {
        "access": access,
        "plan": plan,
        "summary": summary,
        "units": selectors.plan_units(access, request.user),
        "scenarios": list(plan.scenarios.order_by("pk")) if access.full else [],
        "versions": list(PLANS.visible(request.user, Plan.objects.versions_of(plan)).order_by("version")),
        "kecamatan": Area.objects.active().filter(parent_id=plan.area_id).order_by("name") if access.full else [],
        "class_rows": [(label, summary.get("by_class", {}).get(cls, {})) for cls, label in TpsClass.choices],
    }
    return render(request, "deployment/plan_detail.html", context)


@page(Guard(PLANS, "plan_id"))
@require_GET
@domain_errors_as_pages
def plan_posts_geojson(request: AuthedRequest, plan_id: int) -> HttpResponse:
    access = selectors.plan_view(request.user, guarded(request, PLANS))
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lng, p.lat]},
            "properties": {
                "number": p.number,
                "cls": p.tps_class,
                "tps": len(p.tps),
                "kecamatan": p.kecamatan.name,
                "unit": p.police_unit.name if p.police_unit else "",
                "demand": [p.demand_polri, p.demand_tni, p.demand_linmas],
                "short": [p.short_polri, p.short_tni, p.short_linmas],
            },
        }
        for p in selectors.plan_posts(access)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@page(Guard(PLAN_APPROVAL, "plan_id"))
@require_POST
@domain_errors_as_pages
def plan_approve(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = services.plan_approve(plan=guarded(request, PLAN_APPROVAL), actor=request.user)
    messages.success(request, _("Rencana disetujui."))
    return redirect("deployment:plan", plan_id=plan.pk)


@page(Guard(PLANS, "plan_id"))
@require_POST
@domain_errors_as_pages
def plan_action(request: AuthedRequest, plan_id: int, action: str) -> HttpResponse:
    """Solve again, make a new version or a scenario (approval has its own route and rule)."""
    origin = plan = guarded(request, PLANS)
    if action == "solve":
        plan = services.plan_solve(plan=plan, actor=request.user)
        messages.success(request, _("Rencana dihitung ulang."))
    elif action == "version":
        plan = services.plan_new_version(plan=plan, actor=request.user)
        messages.success(request, _("Versi baru dibuat sebagai draf."))
    elif action == "scenario":
        try:
            plan = services.plan_scenario(
                plan=plan, title=request.POST.get("title", ""), changes=_changes_from(request), actor=request.user
            )
        except ValidationFailed as exc:
            messages.error(request, exc.detail)
            return redirect("deployment:plan", plan_id=plan.pk)
        return redirect("deployment:compare", plan_id=origin.pk, other_id=plan.pk)
    else:
        raise NotFound(_("tindakan tidak dikenal"))
    return redirect("deployment:plan", plan_id=plan.pk)


def _changes_from(request: AuthedRequest) -> dict:
    changes: dict = {}
    if request.POST.get("raise_area"):
        changes["raise"] = {request.POST["raise_area"]: request.POST.get("raise_class") or "rawan"}
    if request.POST.get("without_bko"):
        changes["without_bko"] = True
    if request.POST.get("without_platoons"):
        changes["without_platoons"] = True
    if request.POST.get("reduce_unit"):
        try:
            people = int(request.POST.get("reduce_people") or 0)
        except ValueError:
            raise ValidationFailed(_("Jumlah pengurangan harus bilangan bulat."), field="reduce_people") from None
        changes["reduce"] = {request.POST["reduce_unit"]: people}
    return changes


@page(Guard(WHOLE_PLANS, "plan_id"))
@require_GET
@domain_errors_as_pages
def compare(request: AuthedRequest, plan_id: int, other_id: int) -> HttpResponse:
    """Two plans side by side; both must be seen whole."""
    left = selectors.plan_view(request.user, guarded(request, WHOLE_PLANS))
    right = selectors.plan_view(request.user, WHOLE_PLANS.get(request.user, other_id))
    rows = _compare_rows(left.plan.summary, right.plan.summary)
    context = {
        "left": left.plan,
        "right": right.plan,
        "rows": rows,
        "units": _compare_units(left, right),
        "inputs": (_inputs_text(left.plan.options), _inputs_text(right.plan.options)),
    }
    return render(request, "deployment/compare.html", context)


def _compare_rows(a: dict, b: dict) -> list[tuple[str, int, int]]:
    rows: list[tuple[str, int, int]] = [(str(_("Pos")), a.get("posts", 0), b.get("posts", 0))]
    for kind in ("polri", "tni", "linmas"):
        for key, label in (("demand", "kebutuhan"), ("assigned", "ditugaskan"), ("shortfall", "kekurangan")):
            rows.append((f"{kind.upper()} {_(label)}", a["totals"][kind][key], b["totals"][kind][key]))
    for cls, cls_label in TpsClass.choices:
        rows.append((f"TPS {cls_label!s}", a["by_class"][cls]["tps"], b["by_class"][cls]["tps"]))
    return rows


def _inputs_text(options: dict) -> str:
    """A scenario's inputs in words, for the side-by-side page."""
    names = dict(Area.objects.filter(code__in=list(options.get("raise", {}))).values_list("code", "name"))
    parts = [
        _("%(area)s menjadi %(cls)s") % {"area": names.get(c, c), "cls": TpsClass(v).label}
        for c, v in options.get("raise", {}).items()
    ]
    if options.get("without_bko"):
        parts.append(_("tanpa BKO"))
    if options.get("without_platoons"):
        parts.append(_("tanpa pleton"))
    parts += [_("%(unit)s dikurangi %(n)s") % {"unit": u, "n": n} for u, n in options.get("reduce", {}).items()]
    parts += [_("%(unit)s dipinjamkan ke %(area)s") % {"unit": u, "area": a} for u, a in options.get("loans", [])]
    return "; ".join(str(p) for p in parts) or str(_("data saat ini"))


def _compare_units(left: selectors.PlanView, right: selectors.PlanView) -> list[dict]:
    theirs = {u["code"]: u for u in right.plan.summary.get("units", [])}
    out = []
    for unit in left.plan.summary.get("units", []):
        other = theirs.get(unit["code"], {})
        out.append({"unit": unit, "other": other, "changed": unit.get("shortfall") != other.get("shortfall")})
    return out


@page(ANNEX)
@require_GET
@domain_errors_as_pages
def annex(request: AuthedRequest, plan_id: int, code: str, fmt: str = "html") -> HttpResponse:
    """A unit's order annex of a plan, with the names frozen in the plan."""
    plan, unit = guarded(request, PLANS), annex_unit(request)
    posts = selectors.annex(plan, unit, selectors.annex_scopes(request.user, plan, unit))
    meta = exports.AnnexMeta(
        plan.title, f"#{plan.pk} v{plan.version} · {plan.get_state_display()}", unit.name, unit.area.name, plan.area_id
    )
    name = f"lampiran-{plan.pk}-{unit.code}"
    if fmt == "xlsx":
        return attachment(exports.annex_xlsx(meta, posts), f"{name}.xlsx")
    if fmt == "pdf":
        return attachment(exports.annex_pdf(meta, posts), f"{name}.pdf", inline=True)
    context = {"plan": plan, "unit": unit, "posts": posts}
    return render(request, "deployment/annex.html", context)


@page(Guard(AREAS, "code"))
@require_GET
@domain_errors_as_pages
def units(request: AuthedRequest, code: str) -> HttpResponse:
    area = guarded(request, AREAS)
    found = list(selectors.area_units(request.user, code))
    writable = [u for u in found if UNITS.can_write(request.user, u)]
    context = {"area": area, "units": found, "writable": writable, "can_write": AREAS.can_write(request.user, area)}
    return render(request, "deployment/units.html", context)


@page(Guard(AREAS, "code"))
@require_POST
@domain_errors_as_pages
def roster_upload(request: AuthedRequest, code: str) -> HttpResponse:
    """Each listed unit is checked against `UNITS` by the import (its sector and command chain)."""
    upload = request.FILES.get("file")
    if upload is None or (upload.size or 0) > MAX_ROSTER_BYTES or not (upload.name or "").lower().endswith(".csv"):
        messages.error(request, _("Unggah berkas CSV (maksimal 5 MiB)."))
        return redirect("deployment:units", code=code)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        path.write_bytes(upload.read())
        try:
            count = services.roster_import(path=path, actor=request.user)
        except ImportFailed as exc:
            messages.error(request, exc.detail + ": " + "; ".join(str(e) for e in exc.errors[:20]))
            return redirect("deployment:units", code=code)
    messages.success(request, _("%(n)s personel tersimpan.") % {"n": count})
    return redirect("deployment:units", code=code)


@page(NearUnits(write=APPROVAL))
@domain_errors_as_pages
def patterns(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        return _pattern_post(request)
    # The national rows and the overrides of the Polres the user may see.
    rows = (
        SecurityPattern.objects.filter(Q(polres__isnull=True) | Q(polres__in=UNITS.visible(request.user)))
        .select_related("polres")
        .order_by("polres__code", "tps_class")
    )
    polres = APPROVAL.visible(
        UNITS.visible(request.user).filter(kind="polres").order_by("name"), request.user, "area__code", write=True
    )
    return render(
        request,
        "deployment/patterns.html",
        {"patterns": rows, "polres": polres, "classes": TpsClass.choices},
    )


def _pattern_post(request: AuthedRequest) -> HttpResponse:
    polres = UNITS.visible(request.user).filter(code=request.POST.get("polres", ""), kind="polres").first()
    if polres is None:
        messages.error(request, _("Pilih Polres."))
        return redirect("deployment:patterns")
    try:
        values = {k: int(request.POST.get(k, "")) for k in PATTERN_FIELDS}
        services.pattern_set(
            polres=polres, tps_class=request.POST.get("tps_class", ""), values=values, actor=request.user
        )
    except ValueError:
        messages.error(request, _("Semua isian pola harus bilangan bulat."))
    except ValidationFailed as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Pola Polres disimpan."))
    return redirect("deployment:patterns")


@page(Guard(AREAS, "code"))
@require_POST
@domain_errors_as_pages
def strength_update(request: AuthedRequest, code: str) -> HttpResponse:
    """The unit named in the form, through `UNITS` (404 unseen, 403 outside the planner's chain)."""
    if not request.POST.get("agency"):
        messages.error(request, _("Pilih satuan."))
        return redirect("deployment:units", code=code)
    agency = UNITS.get(request.user, request.POST["agency"], write=True)
    try:
        personnel, bko, platoons = (int(request.POST.get(k) or 0) for k in ("personnel", "bko", "platoons"))
        services.strength_set(agency=agency, personnel=personnel, bko=bko, platoons=platoons, actor=request.user)
    except ValueError:
        messages.error(request, _("Jumlah personel harus bilangan bulat."))
    except ValidationFailed as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Kekuatan satuan disimpan."))
    return redirect("deployment:units", code=code)
