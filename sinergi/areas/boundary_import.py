"""`sinergi import-boundaries`: GeoJSON polygons keyed by `properties.code`.

All or nothing. The geometry is stored as compact GeoJSON text, with the lighter copy that maps
are served (`areas.simplify`, by the area's level); the label point (`label_lat`, `label_lng`,
always inside the polygon) becomes the area's map label.
"""

import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.areas.batches import batch_open
from sinergi.areas.models import Area, AreaBoundary
from sinergi.areas.simplify import simplify_geometry
from sinergi.core.batching import chunked
from sinergi.core.csvfile import read_text
from sinergi.core.errors import ImportFailed, RowError, ValidationFailed
from sinergi.core.sanitise import clean_text

_POLYGONS = {"Polygon", "MultiPolygon"}


@dataclass
class BoundaryImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    batch_id: int | None = None


@dataclass(frozen=True)
class _Feature:
    code: str
    geometry: str
    label: tuple[float, float] | None
    level: str = ""


def import_boundaries(path: Path, *, actor: Any = None) -> BoundaryImportResult:
    features = _parse(path)
    result = BoundaryImportResult()
    with transaction.atomic():
        codes = [f.code for f in features]
        stored = {
            code: geometry
            for chunk in chunked(codes)
            for code, geometry in AreaBoundary.objects.filter(area_id__in=chunk).values_list("area_id", "geometry")
        }
        new = [_boundary(f, path) for f in features if f.code not in stored]
        changed = [_boundary(f, path) for f in features if f.code in stored and stored[f.code] != f.geometry]
        result.added, result.updated = len(new), len(changed)
        result.unchanged = len(features) - len(new) - len(changed)
        if not (new or changed):
            return result
        AreaBoundary.objects.bulk_create(new, batch_size=500)
        AreaBoundary.objects.bulk_update(changed, ["geometry", "simplified", "source"], batch_size=500)
        _set_labels([f for f in features if f.label])
        batch = batch_open("boundaries", path, actor, {"added": result.added, "updated": result.updated})
        result.batch_id = batch.pk
    return result


def _boundary(feature: _Feature, path: Path) -> AreaBoundary:
    return AreaBoundary(
        area_id=feature.code,
        geometry=feature.geometry,
        simplified=simplify_geometry(feature.geometry, feature.level),
        source=path.name,
    )


def _parse(path: Path) -> list[_Feature]:
    try:
        # NaN and Infinity are read (Python's json allows them) and then refused per feature below.
        document = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise ImportFailed([RowError(exc.lineno, "", _("bukan JSON yang sah: %(reason)s") % {"reason": exc.msg})]) from None
    except RecursionError:
        raise ImportFailed([RowError(0, "", _("bukan GeoJSON yang sah: bersarang terlalu dalam"))]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportFailed([RowError(1, "type", _("seharusnya GeoJSON FeatureCollection"))])
    raw_features = document.get("features")
    if not isinstance(raw_features, list):
        raise ImportFailed([RowError(1, "features", _("seharusnya daftar fitur di 'features'"))])
    errors: list[RowError] = []
    features: dict[str, _Feature] = {}
    numbers: dict[str, int] = {}
    for number, raw in enumerate(raw_features, start=1):
        feature, feature_errors = _parse_feature(raw, number)
        errors += feature_errors
        if feature and feature.code in features:
            errors.append(
                RowError(
                    number,
                    "code",
                    _("fitur %(number)d: kode %(code)s ganda (pertama di fitur %(first)d)") % {"number": number, "code": feature.code, "first": numbers[feature.code]},
                )
            )
        elif feature:
            features[feature.code] = feature
            numbers[feature.code] = number
    known = {
        c: level
        for chunk in chunked(list(features))
        for c, level in Area.objects.filter(code__in=chunk).values_list("code", "level")
    }
    errors += [
        RowError(numbers[code], "code", _("fitur %(number)d: kode wilayah %(code)s tidak dikenal") % {"number": numbers[code], "code": code})
        for code in features
        if code not in known
    ]
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.line))
    return [replace(f, level=known[f.code]) for f in features.values()]


def _parse_feature(raw: Any, number: int) -> tuple[_Feature | None, list[RowError]]:
    def error(column: str, reason: str) -> tuple[None, list[RowError]]:
        if code:
            where = _("fitur %(number)d (%(code)s)") % {"number": number, "code": code}
        else:
            where = _("fitur %(number)d") % {"number": number}
        return None, [RowError(number, column, f"{where}: {reason}")]

    code = ""
    if not isinstance(raw, dict):
        return error("", _("bukan objek GeoJSON Feature"))
    properties = raw.get("properties")
    if not isinstance(properties, dict):
        return error("properties", _("properties harus berupa objek dengan code"))
    raw_code = properties.get("code")
    if isinstance(raw_code, int) and not isinstance(raw_code, bool):
        raw_code = str(raw_code)  # a province code written as a number
    if not isinstance(raw_code, str) or not raw_code.strip():
        return error("code", _("properties.code tidak ada"))
    try:
        code = clean_text(raw_code.strip(), field="code")
    except ValidationFailed as exc:
        code = ""
        return error("code", f"properties.code: {exc.detail}")
    if len(code) > 40 or not code.isascii():
        shown, code = code[:40], ""
        return error("code", _("properties.code '%(code)s' bukan kode wilayah") % {"code": shown})
    geometry = raw.get("geometry")
    if not isinstance(geometry, dict):
        return error("geometry", _("geometry tidak ada"))
    if geometry.get("type") not in _POLYGONS:
        return error("geometry", _("geometry harus Polygon atau MultiPolygon"))
    coordinates = geometry.get("coordinates")
    if not coordinates:
        return error("geometry", _("geometry tidak memiliki koordinat"))
    problem = _polygon_problem(coordinates) if geometry["type"] == "Polygon" else _multipolygon_problem(coordinates)
    if problem:
        return error("geometry", problem)
    label = None
    label_lat, label_lng = properties.get("label_lat"), properties.get("label_lng")
    if label_lat is not None or label_lng is not None:
        if not (isinstance(label_lat, int | float) and isinstance(label_lng, int | float)) or not (
            _is_number(label_lat) and _is_number(label_lng)
        ):
            return error("label", _("label_lat dan label_lng harus sama-sama angka"))
        if not (-90 <= label_lat <= 90 and -180 <= label_lng <= 180):
            return error("label", _("titik label (%(lat)s, %(lng)s) di luar -90..90, -180..180") % {"lat": label_lat, "lng": label_lng})
        label = (float(label_lat), float(label_lng))
    compact = json.dumps({"type": geometry["type"], "coordinates": coordinates}, separators=(",", ":"), allow_nan=False)
    return _Feature(code, compact, label), []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _multipolygon_problem(coordinates: Any) -> str | None:
    if not isinstance(coordinates, list):
        return _("koordinat MultiPolygon harus berupa daftar poligon")
    for index, polygon in enumerate(coordinates):
        if not polygon:
            return _("poligon %(index)d kosong") % {"index": index}
        problem = _polygon_problem(polygon)
        if problem:
            return _("poligon %(index)d: %(problem)s") % {"index": index, "problem": problem}
    return None


def _polygon_problem(rings: Any) -> str | None:
    """Why these are not the rings of a GeoJSON Polygon (RFC 7946 3.1.6), or None."""
    if not isinstance(rings, list):
        return _("koordinat Polygon harus berupa daftar cincin")
    for index, ring in enumerate(rings):
        if not isinstance(ring, list) or len(ring) < 4:
            return _("cincin %(index)d memerlukan paling sedikit 4 posisi") % {"index": index}
        for position_index, position in enumerate(ring):
            problem = _position_problem(position)
            if problem:
                return _("cincin %(index)d, posisi %(position)d: %(problem)s") % {"index": index, "position": position_index, "problem": problem}
        if ring[0] != ring[-1]:
            return _("cincin %(index)d tidak tertutup (posisi pertama dan terakhir berbeda)") % {"index": index}
    return None


def _position_problem(position: Any) -> str | None:
    if not isinstance(position, list) or len(position) not in (2, 3):
        return _("posisi harus [lng, lat]")
    if not all(_is_number(value) for value in position):
        return _("%(position)s berisi selain angka terhingga") % {"position": json.dumps(position)[:80]}
    lng, lat = position[0], position[1]
    if not -180 <= lng <= 180:
        return _("bujur %(lng)s di luar -180..180") % {"lng": lng}
    if not -90 <= lat <= 90:
        return _("lintang %(lat)s di luar -90..90") % {"lat": lat}
    return None


def _set_labels(features: list[_Feature]) -> None:
    areas = [Area(code=f.code, label_lat=f.label[0], label_lng=f.label[1]) for f in features if f.label]
    Area.objects.bulk_update(areas, ["label_lat", "label_lng"], batch_size=500)
