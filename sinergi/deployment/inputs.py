"""Reading a plan's inputs from the database (TPS, classes, units, patterns) in a few queries,
and checking plan options. The result feeds the pure `instances.build`."""

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency, Jurisdiction
from sinergi.areas.codes import ancestors_of
from sinergi.areas.models import Area, PollingStation, within
from sinergi.core.errors import ValidationFailed
from sinergi.deployment.grouping import CLASSES, Pattern
from sinergi.deployment.instances import Options, UnitInput
from sinergi.deployment.models import LinmasPool, Pool, RosterMember, RosterStatus, SecurityPattern, UnitStrength
from sinergi.deployment.permissions import UNIT_KINDS
from sinergi.risk.selectors import security_class_map

__all__ = ["UNIT_KINDS", "PlanInputs", "clean_options", "plan_inputs", "risk_classes"]
CLASS_RANK = {c: i for i, c in enumerate(CLASSES)}
SOURCE_RISK, SOURCE_SPECIAL, SOURCE_DEFAULT, SOURCE_SCENARIO = "risiko", "lokasi_khusus", "bawaan", "skenario"
OPTION_KEYS = {"radius_km", "time_limit", "solver", "without_bko", "without_platoons", "reduce", "raise", "loans"}


@dataclass
class PlanInputs:
    tps_codes: list[str]
    classes: list[str]
    sources: list[str]
    lat: np.ndarray
    lng: np.ndarray
    units: dict[str, UnitInput]
    names: dict[str, str]
    linmas_desa: dict[str, tuple[str, int]]
    patterns: dict[str, dict[str, Pattern]]
    options: Options


def clean_options(raw: dict[str, Any] | None) -> dict[str, Any]:
    """Plan options checked and normalised; every problem names its field."""
    raw = dict(raw or {})
    unknown = sorted(set(raw) - OPTION_KEYS)
    if unknown:
        raise ValidationFailed(_("opsi tidak dikenal: %(names)s") % {"names": ", ".join(unknown)}, field=f"options.{unknown[0]}")
    cleaned: dict[str, Any] = {
        "radius_km": _number(raw, "radius_km", 3.0, 0.1, 50),
        "time_limit": _number(raw, "time_limit", 20.0, 0.5, 600),
        "solver": raw.get("solver", "highs"),
        "without_bko": bool(raw.get("without_bko", False)),
        "without_platoons": bool(raw.get("without_platoons", False)),
    }
    if cleaned["solver"] not in ("highs", "greedy"):
        raise ValidationFailed(_("solver harus 'highs' atau 'greedy'"), field="options.solver")
    cleaned["reduce"] = _reduce(raw.get("reduce") or {})
    cleaned["raise"] = _raise(raw.get("raise") or {})
    cleaned["loans"] = _loans(raw.get("loans") or [])
    return cleaned


def _number(raw: dict, key: str, default: float, low: float, high: float) -> float:
    try:
        value = float(raw.get(key, default))
    except (TypeError, ValueError):
        raise ValidationFailed(_("%(field)s harus angka") % {"field": key}, field=f"options.{key}") from None
    if not low <= value <= high:
        raise ValidationFailed(_("%(field)s harus di antara %(low)s dan %(high)s") % {"field": key, "low": low, "high": high}, field=f"options.{key}")
    return value


def _reduce(raw: Any) -> dict[str, int]:
    if not isinstance(raw, dict):
        raise ValidationFailed(_("reduce harus memetakan kode satuan ke jumlah personel"), field="options.reduce")
    known = set(Agency.objects.filter(code__in=list(raw), kind__in=UNIT_KINDS).values_list("code", flat=True))
    for code, people in raw.items():
        if code not in known:
            raise ValidationFailed(_("satuan pengamanan %(code)s tidak dikenal") % {"code": code}, field="options.reduce")
        if not isinstance(people, int) or people < 0:
            raise ValidationFailed(_("pengurangan untuk %(code)s harus bilangan bulat >= 0") % {"code": code}, field="options.reduce")
    return dict(sorted(raw.items()))


def _raise(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ValidationFailed(_("raise harus memetakan kode wilayah ke kelas TPS"), field="options.raise")
    known = set(Area.objects.filter(code__in=list(raw)).values_list("code", flat=True))
    for code, cls in raw.items():
        if code not in known:
            raise ValidationFailed(_("wilayah %(code)s tidak dikenal") % {"code": code}, field="options.raise")
        if cls not in CLASS_RANK:
            raise ValidationFailed(_("kelas TPS %(code)s tidak dikenal") % {"code": cls}, field="options.raise")
    return dict(sorted(raw.items()))


def _loans(raw: Any) -> list[list[str]]:
    if not isinstance(raw, list) or not all(isinstance(x, list | tuple) and len(x) == 2 for x in raw):
        raise ValidationFailed(_("loans harus berupa daftar [kode satuan, kode wilayah]"), field="options.loans")
    for agency, area in raw:
        if not Agency.objects.filter(code=agency, kind__in=("polres", "kodim")).exists():
            raise ValidationFailed(_("hanya Polres atau Kodim yang dapat dipinjamkan, bukan %(agency)s") % {"agency": agency}, field="options.loans")
        if not Area.objects.filter(code=area).exists():
            raise ValidationFailed(_("wilayah %(code)s tidak dikenal") % {"code": area}, field="options.loans")
    return [list(x) for x in raw]


def plan_inputs(area_code: str, options: dict[str, Any]) -> PlanInputs:
    codes, classes, sources, lat, lng = _stations(area_code, options["raise"])
    units, names = _units(area_code, options)
    return PlanInputs(
        codes,
        classes,
        sources,
        lat,
        lng,
        units,
        names,
        _linmas(area_code),
        _patterns(),
        Options(radius_km=options["radius_km"], loans=[(a, b) for a, b in options["loans"]]),
    )


def risk_classes(area_code: str) -> dict[str, str]:
    """Contract 1 with the risk app (docs/architecture.md): the effective security class of every TPS
    in the area that has one. Imported directly, so a renamed or moved contract fails at import and
    in `deployment/tests/test_contracts.py`, never by quietly planning every TPS as "kurang rawan"."""
    return {code: cls for code, cls in security_class_map(area_code).items() if cls in CLASS_RANK}


def _stations(area_code: str, raised: dict[str, str]):
    rows = list(
        PollingStation.objects.filter(within(area_code, "code", include_self=False))
        .order_by("code")
        .values_list("code", "is_special", "lat", "lng", "desa__label_lat", "desa__label_lng")
    )
    if not rows:
        raise ValidationFailed(_("tidak ada TPS di wilayah %(code)s") % {"code": area_code}, field="area_code")
    known = risk_classes(area_code)
    codes, classes, sources, lat, lng = [], [], [], [], []
    for code, special, t_lat, t_lng, d_lat, d_lng in rows:
        cls, source = _class_of(code, special, known)
        for area, floor in raised.items():
            if (code.startswith(area + ".")) and CLASS_RANK[floor] > CLASS_RANK[cls]:
                cls, source = floor, SOURCE_SCENARIO
        codes.append(code)
        classes.append(cls)
        sources.append(source)
        lat.append(t_lat if t_lat is not None else (d_lat if d_lat is not None else 0.0))
        lng.append(t_lng if t_lng is not None else (d_lng if d_lng is not None else 0.0))
    return codes, classes, sources, np.array(lat, dtype=float), np.array(lng, dtype=float)


def _class_of(code: str, special: bool, known: dict[str, str]) -> tuple[str, str]:
    if code in known:
        return known[code], SOURCE_RISK
    if special:
        return "khusus", SOURCE_SPECIAL
    return "kurang_rawan", SOURCE_DEFAULT


def _units(area_code: str, options: dict[str, Any]) -> tuple[dict[str, UnitInput], dict[str, str]]:
    lenders = [agency for agency, _ in options["loans"]]
    links = list(
        Jurisdiction.objects.filter(agency__kind__in=UNIT_KINDS)
        .filter(within(area_code, "area__code") | Q(area_id__in=ancestors_of(area_code)) | Q(agency__code__in=lenders))
        .exclude(area_id="ID")
        .values_list("agency_id", "area_id")
    )
    agency_ids = {a for a, _ in links}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids).select_related("parent", "area")}
    strength = {s.agency_id: s for s in UnitStrength.objects.filter(agency_id__in=agency_ids)}
    roster = _roster_counts(agency_ids)
    covers: dict[int, list[str]] = {}
    for agency_id, area in links:
        covers.setdefault(agency_id, []).append(area)
    units = {}
    for pk, agency in agencies.items():
        pools = _pools(agency, strength.get(pk), roster.get(pk), options)
        lat, lng = _base(agency, strength.get(pk))
        parent = agency.parent.code if agency.parent else None
        units[agency.code] = UnitInput(agency.code, agency.kind, parent, tuple(sorted(covers[pk])), pools, lat, lng)
    return units, {a.code: a.name for a in agencies.values()}


def _roster_counts(agency_ids: set[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    rows = (
        RosterMember.objects.filter(agency_id__in=agency_ids, status=RosterStatus.ACTIVE)
        .values("agency_id", "pool")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts.setdefault(row["agency_id"], {})[row["pool"]] = row["n"]
    return counts


def _pools(agency: Agency, strength: UnitStrength | None, roster: dict[str, int] | None, options) -> dict[str, int]:
    """A named roster, when the unit has one, replaces the counts: only active people serve."""
    if strength is None and roster is None:
        return {}
    organic = roster.get(Pool.ORGANIC, 0) if roster else strength.personnel if strength else 0
    pools = {Pool.ORGANIC.value: max(0, organic - options["reduce"].get(agency.code, 0))}
    bko = roster.get(Pool.BKO, 0) if roster else strength.bko if strength else 0
    if bko and not options["without_bko"]:
        pools[Pool.BKO.value] = bko
    if strength and strength.platoons and not options["without_platoons"]:
        pools[Pool.PLATOON.value] = strength.platoons * strength.platoon_size
    return pools


def _base(agency: Agency, strength: UnitStrength | None) -> tuple[float | None, float | None]:
    if strength and strength.base_lat is not None:
        return strength.base_lat, strength.base_lng
    if agency.base_lat is not None:
        return agency.base_lat, agency.base_lng
    return agency.area.label_lat, agency.area.label_lng


def _linmas(area_code: str) -> dict[str, tuple[str, int]]:
    rows = LinmasPool.objects.filter(within(area_code, "desa__code")).values_list("desa_id", "agency__code", "members")
    return {desa: (agency, members) for desa, agency, members in rows}


def _patterns() -> dict[str, dict[str, Pattern]]:
    """'' holds the national rows; other keys are Polres codes with their overrides."""
    result: dict[str, dict[str, Pattern]] = {}
    for row in SecurityPattern.objects.select_related("polres"):
        key = row.polres.code if row.polres else ""
        result.setdefault(key, {})[row.tps_class] = Pattern(
            row.polri, row.polri_tps, row.tni, row.tni_tps, row.linmas_per_tps, row.risk_weight
        )
    return result
