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
        raise ImportFailed([RowError(exc.lineno, "", f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise ImportFailed([RowError(0, "", "not valid GeoJSON: nested too deeply")]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportFailed([RowError(1, "type", "expected a GeoJSON FeatureCollection")])
    raw_features = document.get("features")
    if not isinstance(raw_features, list):
        raise ImportFailed([RowError(1, "features", "expected a list of features in 'features'")])
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
                    f"feature {number}: duplicate code {feature.code} (first in feature {numbers[feature.code]})",
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
        RowError(numbers[code], "code", f"feature {numbers[code]}: unknown area code {code}")
        for code in features
        if code not in known
    ]
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.line))
    return [replace(f, level=known[f.code]) for f in features.values()]


def _parse_feature(raw: Any, number: int) -> tuple[_Feature | None, list[RowError]]:
    def error(column: str, reason: str) -> tuple[None, list[RowError]]:
        return None, [RowError(number, column, f"feature {number}{f' ({code})' if code else ''}: {reason}")]

    code = ""
    if not isinstance(raw, dict):
        return error("", "is not a GeoJSON Feature object")
    properties = raw.get("properties")
    if not isinstance(properties, dict):
        return error("properties", "properties must be an object with a code")
    raw_code = properties.get("code")
    if isinstance(raw_code, int) and not isinstance(raw_code, bool):
        raw_code = str(raw_code)  # a province code written as a number
    if not isinstance(raw_code, str) or not raw_code.strip():
        return error("code", "properties.code is missing")
    try:
        code = clean_text(raw_code.strip(), field="code")
    except ValidationFailed as exc:
        code = ""
        return error("code", f"properties.code: {exc.detail}")
    if len(code) > 40 or not code.isascii():
        shown, code = code[:40], ""
        return error("code", f"properties.code '{shown}' is not an area code")
    geometry = raw.get("geometry")
    if not isinstance(geometry, dict):
        return error("geometry", "geometry is missing")
    if geometry.get("type") not in _POLYGONS:
        return error("geometry", "geometry must be a Polygon or MultiPolygon")
    coordinates = geometry.get("coordinates")
    if not coordinates:
        return error("geometry", "geometry has no coordinates")
    problem = _polygon_problem(coordinates) if geometry["type"] == "Polygon" else _multipolygon_problem(coordinates)
    if problem:
        return error("geometry", problem)
    label = None
    label_lat, label_lng = properties.get("label_lat"), properties.get("label_lng")
    if label_lat is not None or label_lng is not None:
        if not (isinstance(label_lat, int | float) and isinstance(label_lng, int | float)) or not (
            _is_number(label_lat) and _is_number(label_lng)
        ):
            return error("label", "label_lat and label_lng must both be numbers")
        if not (-90 <= label_lat <= 90 and -180 <= label_lng <= 180):
            return error("label", f"label point ({label_lat}, {label_lng}) is outside -90..90, -180..180")
        label = (float(label_lat), float(label_lng))
    compact = json.dumps({"type": geometry["type"], "coordinates": coordinates}, separators=(",", ":"), allow_nan=False)
    return _Feature(code, compact, label), []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _multipolygon_problem(coordinates: Any) -> str | None:
    if not isinstance(coordinates, list):
        return "MultiPolygon coordinates must be a list of polygons"
    for index, polygon in enumerate(coordinates):
        if not polygon:
            return f"polygon {index} is empty"
        problem = _polygon_problem(polygon)
        if problem:
            return f"polygon {index}: {problem}"
    return None


def _polygon_problem(rings: Any) -> str | None:
    """Why these are not the rings of a GeoJSON Polygon (RFC 7946 3.1.6), or None."""
    if not isinstance(rings, list):
        return "Polygon coordinates must be a list of rings"
    for index, ring in enumerate(rings):
        if not isinstance(ring, list) or len(ring) < 4:
            return f"ring {index} needs at least 4 positions"
        for position_index, position in enumerate(ring):
            problem = _position_problem(position)
            if problem:
                return f"ring {index}, position {position_index}: {problem}"
        if ring[0] != ring[-1]:
            return f"ring {index} is not closed (the first and last positions differ)"
    return None


def _position_problem(position: Any) -> str | None:
    if not isinstance(position, list) or len(position) not in (2, 3):
        return "a position must be [lng, lat]"
    if not all(_is_number(value) for value in position):
        return f"{json.dumps(position)[:80]} holds something other than finite numbers"
    lng, lat = position[0], position[1]
    if not -180 <= lng <= 180:
        return f"longitude {lng} is outside -180..180"
    if not -90 <= lat <= 90:
        return f"latitude {lat} is outside -90..90"
    return None


def _set_labels(features: list[_Feature]) -> None:
    areas = [Area(code=f.code, label_lat=f.label[0], label_lng=f.label[1]) for f in features if f.label]
    Area.objects.bulk_update(areas, ["label_lat", "label_lng"], batch_size=500)
