"""Every write of the deployment module: plans (create, solve, scenario, version, approve),
unit strength and named rosters. One transaction each, with a history row.

Who may write is decided by the rules in `permissions.py`; the services re-check them (they are
called from pages, the API, the CLI and the demo). A solved plan freezes its assignments, the names
of the people included: a later roster change never alters a plan, it needs a new version."""

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency
from sinergi.areas.models import Area
from sinergi.core.batching import chunked
from sinergi.core.csvfile import read_csv
from sinergi.core.errors import ClientIdReused, Conflict, ImportFailed, RowError, ValidationFailed
from sinergi.core.history import history_record
from sinergi.deployment import instances, planner
from sinergi.deployment.inputs import clean_options, plan_inputs
from sinergi.deployment.models import (
    Plan,
    PlanAssignment,
    PlanPost,
    PlanState,
    Pool,
    RosterMember,
    RosterStatus,
    SecurityPattern,
    TpsClass,
    UnitStrength,
)
from sinergi.deployment.permissions import APPROVAL, DEPLOYMENT, PLAN_APPROVAL, PLANS, UNIT_KINDS, UNITS

ROSTER_COLUMNS = {"id_number", "rank", "name", "unit", "status"}
# Column widths: a longer value is refused with its line and field, not a 500 on PostgreSQL.
TITLE_MAX = Plan._meta.get_field("title").max_length or 200
CLIENT_ID_MAX = Plan._meta.get_field("client_id").max_length or 64
ROSTER_WIDTHS = {
    "id_number": RosterMember._meta.get_field("id_number").max_length or 30,
    "rank": RosterMember._meta.get_field("rank").max_length or 40,
    "name": RosterMember._meta.get_field("name").max_length or 120,
}


MAX_PEOPLE = 1_000_000  # more than any Polres or Kodim holds
SMALL_MAX = 32_767  # PositiveSmallIntegerField on PostgreSQL


def _check_length(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise ValidationFailed(_("%(field)s lebih panjang dari %(limit)d karakter") % {"field": field, "limit": limit}, field=field)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _body_of(plan: Plan) -> dict[str, Any]:
    return {"area_code": plan.area_id, "title": plan.title, "options": plan.options}


def _same_request(stored: Plan, client_id: str, received: dict[str, Any], actor: Any) -> Plan:
    """A retry answers with the stored plan; the same client id with another body is a conflict."""
    stored = PLANS.get(actor, stored.pk)
    try:
        cleaned = {**received, "options": clean_options(received["options"])}
    except ValidationFailed:
        cleaned = received
    if cleaned != _body_of(stored):
        raise ClientIdReused(client_id, stored=_body_of(stored), sent=cleaned, what=gettext("rencana"))
    return stored


def plan_create(
    *, area_code: str, title: str, options: dict[str, Any] | None, actor: Any, client_id: str | None = None
) -> Plan:
    """A new plan for an area, solved at once. A retried request with the same client id and body
    returns the plan already made; the same client id with another body is a conflict (409)."""
    received = {"area_code": area_code, "title": title.strip(), "options": dict(options or {})}
    _check_length("client_id", client_id or "", CLIENT_ID_MAX)
    _check_length("title", title.strip(), TITLE_MAX)
    if client_id:
        existing = Plan.objects.filter(client_id=client_id).first()
        if existing:
            return _same_request(existing, client_id, received, actor)
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise ValidationFailed(_("wilayah %(code)s tidak dikenal") % {"code": area_code}, field="area_code")
    DEPLOYMENT.check(actor, area_code, write=True, what="plan")
    if not title.strip():
        raise ValidationFailed(_("judul wajib diisi"), field="title")
    cleaned = clean_options(options)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                area=area, title=title.strip(), options=cleaned, created_by=actor, client_id=client_id or None
            )
            _solve_into(plan)
            _history(plan, "created", actor, {"options": cleaned})
    except IntegrityError:
        stored = Plan.objects.filter(client_id=client_id).first() if client_id else None
        if stored is None:
            raise Conflict(_("rencana dengan client id ini sedang dibuat; coba lagi")) from None
        return _same_request(stored, client_id or "", received, actor)
    return plan


@transaction.atomic
def plan_solve(*, plan: Plan, actor: Any) -> Plan:
    PLANS.get(actor, plan.pk, write=True)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != PlanState.DRAFT:
        raise Conflict(_("hanya rencana draf yang dapat dihitung ulang; buat versi baru"))
    _solve_into(plan)
    _history(plan, "solved", actor, {"method": plan.method})
    return plan


@transaction.atomic
def plan_scenario(*, plan: Plan, title: str, changes: dict[str, Any], actor: Any) -> Plan:
    """A copy of the plan with changed inputs (merged into its options), solved."""
    PLANS.get(actor, plan.pk, write=True)
    _check_length("title", title.strip(), TITLE_MAX)
    merged = dict(plan.options)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    scenario = Plan.objects.create(
        area_id=plan.area_id,
        title=title.strip() or f"Skenario dari {plan.title}",
        options=clean_options(merged),
        scenario_of=plan,
        created_by=actor,
    )
    _solve_into(scenario)
    _history(scenario, "scenario", actor, {"from": plan.pk, "changes": changes})
    return scenario


@transaction.atomic
def plan_new_version(*, plan: Plan, actor: Any) -> Plan:
    """A new draft of the plan's lineage, solved from current data (a new roster, new strength)."""
    PLANS.get(actor, plan.pk, write=True)
    latest = Plan.objects.versions_of(plan).aggregate(v=Max("version"))["v"] or 1
    version = Plan.objects.create(
        area_id=plan.area_id,
        title=plan.title,
        options=plan.options,
        lineage_id=plan.root_id,
        version=latest + 1,
        scenario_of=plan.scenario_of,
        created_by=actor,
    )
    _solve_into(version)
    _history(version, "new_version", actor, {"from": plan.pk})
    return version


@transaction.atomic
def plan_approve(*, plan: Plan, actor: Any) -> Plan:
    """The Polres planning role approves a draft; the lineage's earlier approved version is superseded.
    The draft's assignments and names, frozen when it was solved, become the approved plan."""
    PLAN_APPROVAL.get(actor, plan.pk, write=True)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != PlanState.DRAFT:
        raise Conflict(_("rencana berstatus %(state)s; hanya draf yang dapat disetujui") % {"state": plan.get_state_display()})
    Plan.objects.versions_of(plan).filter(state=PlanState.APPROVED, area_id=plan.area_id).update(
        state=PlanState.SUPERSEDED
    )
    plan.state, plan.approved_by, plan.approved_at = PlanState.APPROVED, actor, timezone.now()
    plan.save(update_fields=["state", "approved_by", "approved_at"])
    _history(plan, "approved", actor, {"state": PlanState.APPROVED})
    return plan


def _solve_into(plan: Plan) -> None:
    """Build the instance from current data, solve, and replace the plan's posts and assignments."""
    data = plan_inputs(plan.area_id, plan.options)
    built = instances.build(
        data.tps_codes,
        data.classes,
        data.sources,
        data.lat,
        data.lng,
        data.units,
        data.linmas_desa,
        data.patterns,
        data.options,
    )
    solution = planner.solve(
        built.instance, time_limit=plan.options["time_limit"], use_solver=plan.options["solver"] == "highs"
    )
    summary = instances.report(built, solution)
    for row in summary["units"]:
        row["name"] = data.names.get(row["code"], row["code"])
    summary["notes"] = solution.notes
    summary["unmet_gap"] = _finite(solution.unmet_gap)
    plan.posts.all().delete()
    _store(plan, built, solution, data.names)
    plan.method, plan.solver_status, plan.seconds = solution.method, solution.status, solution.seconds
    plan.unmet_weighted, plan.travel_km = solution.unmet_weighted, round(solution.travel, 3)
    plan.unmet_bound, plan.travel_bound = _finite(solution.unmet_bound), _finite(solution.travel_bound)
    plan.gap, plan.summary, plan.solved_at = _finite(solution.gap), summary, timezone.now()
    plan.save()


def _finite(value: float) -> float | None:
    return None if value != value else float(value)  # NaN (no bound known) is stored as null


def _store(plan: Plan, built: instances.Built, solution: planner.Solution, names: dict[str, str]) -> None:
    ids = dict(Agency.objects.filter(code__in=list(built.units)).values_list("code", "pk"))
    short: dict[tuple[int, str], int] = {}
    linmas: dict[int, int] = {}
    inst = built.instance
    for r in range(inst.n_rows):
        key = (int(built.row_post[r]), built.row_kind[r])
        short[key] = short.get(key, 0) + int(solution.shortfall[r])
        if key[1] == "linmas":
            linmas[key[0]] = linmas.get(key[0], 0) + int(inst.row_amount[r])
    posts = [
        PlanPost(
            plan=plan,
            number=p + 1,
            kecamatan_id=info.kecamatan,
            tps_class=info.post.tps_class,
            tps=[[c, s] for c, s in zip(info.tps_codes, info.sources, strict=True)],
            lat=info.post.lat,
            lng=info.post.lng,
            police_unit_id=ids.get(info.police_unit or ""),
            military_unit_id=ids.get(info.military_unit or ""),
            demand_polri=info.demand["polri"],
            demand_tni=info.demand["tni"],
            demand_linmas=linmas.get(p, 0),
            short_polri=short.get((p, "polri"), 0),
            short_tni=short.get((p, "tni"), 0),
            short_linmas=short.get((p, "linmas"), 0),
        )
        for p, info in enumerate(built.posts)
    ]
    PlanPost.objects.bulk_create(posts, batch_size=2000)
    stored = list(plan.posts.order_by("number").values_list("pk", flat=True))
    rows = []
    for arc in solution.arc_flow.nonzero()[0]:
        r, pool = int(inst.arc_row[arc]), int(inst.arc_pool[arc])
        unit, pool_name, kind = built.pools[pool]
        rows.append(
            PlanAssignment(
                plan=plan,
                post_id=stored[int(built.row_post[r])],
                agency_id=ids[unit],
                pool=pool_name,
                kind=kind,
                desa_code=built.row_desa[r],
                people=int(solution.arc_flow[arc]),
                km=round(float(built.arc_km[arc]), 2),
            )
        )
    _name_people(rows, built)
    PlanAssignment.objects.bulk_create(rows, batch_size=2000)


def _name_people(rows: list[PlanAssignment], built: instances.Built) -> None:
    """Hand the active roster members of each unit's pool out post by post (in post order) and
    store them on the assignments, so the plan keeps the names it was solved with."""
    number = {pk: n for n, pk in enumerate(sorted({r.post_id for r in rows}))}
    rows.sort(key=lambda r: (number[r.post_id], r.agency_id, r.pool))
    names: dict[tuple[int, str], list[str]] = defaultdict(list)
    members = RosterMember.objects.filter(
        agency_id__in={r.agency_id for r in rows}, status=RosterStatus.ACTIVE
    ).order_by("agency_id", "pool", "id_number")
    for m in members:
        names[(m.agency_id, m.pool)].append(f"{m.rank} {m.name} ({m.id_number})".strip())
    cursor: dict[tuple[int, str], int] = defaultdict(int)
    for r in rows:
        key = (r.agency_id, r.pool)
        r.names = names[key][cursor[key] : cursor[key] + r.people]
        cursor[key] += r.people


def _history(plan: Plan, action: str, actor: Any, changes: dict) -> None:
    history_record(
        object_type="deployment.plan",
        object_key=str(plan.pk),
        action=action,
        actor=actor,
        changes=changes,
        area_code=plan.area_id,
    )


@transaction.atomic
def strength_set(
    *,
    agency: Agency,
    personnel: int,
    bko: int = 0,
    platoons: int = 0,
    base: tuple[float, float] | None = None,
    actor: Any = None,
) -> UnitStrength:
    """Set a unit's strength. `actor=None` is the demo and data loading; a user is checked."""
    if agency.kind not in UNIT_KINDS:
        raise ValidationFailed(_("%(code)s bukan satuan pengamanan") % {"code": agency.code}, field="agency")
    if actor is not None:
        agency = UNITS.get(actor, agency.code, write=True)
    if min(personnel, bko, platoons) < 0:
        raise ValidationFailed(_("jumlah tidak boleh negatif"), field="personnel")
    for name, value, limit in (("personnel", personnel, MAX_PEOPLE), ("bko", bko, MAX_PEOPLE), ("platoons", platoons, SMALL_MAX)):
        if value > limit:  # beyond the column: a 500 on PostgreSQL (and past 2**63 on SQLite)
            raise ValidationFailed(_("%(field)s paling banyak %(limit)d") % {"field": name, "limit": limit}, field=name)
    if (bko or platoons) and agency.kind not in ("polres", "kodim"):
        raise ValidationFailed(_("cadangan ditempatkan di tingkat Polres atau Kodim"), field="bko")
    strength, _created = UnitStrength.objects.get_or_create(agency=agency)
    before = {"personnel": strength.personnel, "bko": strength.bko, "platoons": strength.platoons}
    strength.personnel, strength.bko, strength.platoons = personnel, bko, platoons
    if base:
        strength.base_lat, strength.base_lng = base
    strength.save()
    history_record(
        object_type="deployment.strength",
        object_key=agency.code,
        action="set",
        actor=actor,
        changes={k: [before[k], v] for k, v in {"personnel": personnel, "bko": bko, "platoons": platoons}.items()},
        area_code=agency.area_id,
    )
    return strength


def roster_import(*, path: Path, actor: Any, scope_agency: Agency | None = None) -> int:
    """Named roster from CSV (id_number, rank, name, unit, status[, pool]); all rows or none.
    The listed units' rosters are replaced by the file. Returns the number of people stored."""
    table = read_csv(path, required=ROSTER_COLUMNS)
    listed = {row.get("unit") for row in table.rows}
    units = {a.code: a for a in UNITS.queryset().filter(code__in=listed)}
    visible = set(UNITS.visible(actor, UNITS.queryset().filter(code__in=listed)).values_list("code", flat=True))
    writable = {code for code, unit in units.items() if code in visible and UNITS.can_write(actor, unit)}
    # A unit the user may not see is "unknown", as if it did not exist (never confirm it does).
    units = {code: unit for code, unit in units.items() if code in visible}
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    members = [_roster_row(row, units, writable, seen, errors, scope_agency) for row in table.rows]
    _elsewhere(members, table.rows, errors)
    if errors:
        raise ImportFailed(errors)
    if not members:
        raise ImportFailed([RowError(2, "", _("berkas tidak berisi baris"))])
    with transaction.atomic():
        people = Counter(m.agency_id for m in members)
        RosterMember.objects.filter(agency_id__in=people).delete()
        RosterMember.objects.bulk_create(members, batch_size=2000)
        for agency in (a for a in units.values() if a.pk in people):
            history_record(
                object_type="deployment.roster",
                object_key=agency.code,
                action="imported",
                actor=actor,
                changes={"people": people[agency.pk], "file": path.name},
                area_code=agency.area_id,
            )
    return len(members)


def _roster_row(row, units, writable, seen, errors, scope_agency) -> RosterMember:
    before = len(errors)
    id_number, unit_code = row.get("id_number"), row.get("unit")
    status, pool = row.get("status") or RosterStatus.ACTIVE, row.get("pool") or Pool.ORGANIC
    if not id_number:
        errors.append(RowError(row.line, "id_number", _("wajib diisi")))
    elif id_number in seen:
        errors.append(RowError(row.line, "id_number", _("sama dengan baris %(line)d") % {"line": seen[id_number]}))
    seen.setdefault(id_number, row.line)
    if not row.get("name"):
        errors.append(RowError(row.line, "name", _("wajib diisi")))
    for field, limit in ROSTER_WIDTHS.items():
        if len(row.get(field)) > limit:
            errors.append(RowError(row.line, field, _("lebih panjang dari %(limit)d karakter") % {"limit": limit}))
    unit = units.get(unit_code)
    if unit is None:
        errors.append(RowError(row.line, "unit", _("satuan pengamanan '%(code)s' tidak dikenal") % {"code": unit_code}))
    elif unit_code not in writable or (scope_agency and not _under(unit, scope_agency)):
        errors.append(RowError(row.line, "unit", _("Anda tidak dapat mengubah daftar personel %(code)s") % {"code": unit_code}))
    if status not in RosterStatus.values:
        errors.append(RowError(row.line, "status", _("harus salah satu dari: %(expected)s") % {"expected": ", ".join(RosterStatus.values)}))
    if pool not in (Pool.ORGANIC, Pool.BKO):
        errors.append(RowError(row.line, "pool", _("harus organik atau bko")))
    if len(errors) > before or unit is None:
        return RosterMember()
    return RosterMember(
        agency=unit, id_number=id_number, rank=row.get("rank"), name=row.get("name"), status=status, pool=pool
    )


def _elsewhere(members: list[RosterMember], rows: list, errors: list[RowError]) -> None:
    """An id number already on the roster of a unit the file does not replace (one person, one unit):
    refused with its line, instead of the unique index failing as a 500 after the old rows were deleted.
    The other unit is not named: the uploader may not see it."""
    replaced = {m.agency_id for m in members if m.agency_id}
    wanted = {m.id_number: row.line for m, row in zip(members, rows, strict=True) if m.agency_id}
    taken: list[str] = []
    for part in chunked(sorted(wanted)):
        found = RosterMember.objects.filter(id_number__in=part).exclude(agency_id__in=replaced)
        taken += found.values_list("id_number", flat=True)
    for id_number in sorted(taken, key=lambda i: wanted[i]):
        errors.append(RowError(wanted[id_number], "id_number", _("sudah ada di daftar personel satuan lain")))


def _under(unit: Agency, scope: Agency) -> bool:
    return unit.pk == scope.pk or unit.parent_id == scope.pk


@transaction.atomic
def pattern_set(
    *, polres: Agency, tps_class: str, values: dict[str, int], source: str = "", actor: Any
) -> SecurityPattern:
    """A Polres's own pattern for one class, overriding the national default (Polri planners only)."""
    if polres.kind != "polres":
        raise ValidationFailed(_("pola ditetapkan per Polres"), field="polres")
    APPROVAL.check(actor, polres.area_id, write=True, what="pattern")
    if tps_class not in TpsClass.values:
        raise ValidationFailed(_("kelas TPS %(code)s tidak dikenal") % {"code": tps_class}, field="tps_class")
    for name in ("polri", "polri_tps", "tni", "tni_tps", "linmas_per_tps", "risk_weight"):
        value = values.get(name)
        if (
            not isinstance(value, int)
            or not 0 <= value <= SMALL_MAX
            or (name in ("polri_tps", "tni_tps", "risk_weight") and value < 1)
        ):
            raise ValidationFailed(_("%(field)s harus bilangan bulat (paling sedikit 1 untuk jumlah TPS dan bobot)") % {"field": name}, field=name)
    pattern, created = SecurityPattern.objects.update_or_create(
        polres=polres, tps_class=tps_class, defaults={**values, "source": source or f"Pola {polres.name}"}
    )
    history_record(
        object_type="deployment.pattern",
        object_key=f"{polres.code}:{tps_class}",
        action="created" if created else "updated",
        actor=actor,
        changes=values,
        area_code=polres.area_id,
    )
    return pattern
