"""`sinergi import-boundaries`: GeoJSON polygons keyed by `properties.code`.

All or nothing. The geometry is stored as compact GeoJSON text and served as is; the label
point (`label_lat`, `label_lng`, always inside the polygon) becomes the area's map label.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from sinergi.areas.batches import batch_open
from sinergi.areas.models import Area, AreaBoundary
from sinergi.core.batching import chunked
from sinergi.core.csvfile import read_text
from sinergi.core.errors import ImportFailed, RowError

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
        new = [
            AreaBoundary(area_id=f.code, geometry=f.geometry, source=path.name)
            for f in features
            if f.code not in stored
        ]
        changed = [
            AreaBoundary(area_id=f.code, geometry=f.geometry, source=path.name)
            for f in features
            if f.code in stored and stored[f.code] != f.geometry
        ]
        result.added, result.updated = len(new), len(changed)
        result.unchanged = len(features) - len(new) - len(changed)
        if not (new or changed):
            return result
        AreaBoundary.objects.bulk_create(new, batch_size=500)
        AreaBoundary.objects.bulk_update(changed, ["geometry", "source"], batch_size=500)
        _set_labels([f for f in features if f.label])
        batch = batch_open("boundaries", path, actor, {"added": result.added, "updated": result.updated})
        result.batch_id = batch.pk
    return result


def _parse(path: Path) -> list[_Feature]:
    try:
        document = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise ImportFailed([RowError(exc.lineno, "", f"not valid JSON: {exc.msg}")]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportFailed([RowError(1, "type", "expected a GeoJSON FeatureCollection")])
    errors: list[RowError] = []
    features: dict[str, _Feature] = {}
    for number, raw in enumerate(document.get("features") or [], start=1):
        feature, error = _parse_feature(raw, number)
        if error:
            errors.append(error)
        elif feature and feature.code in features:
            errors.append(RowError(number, "code", f"feature {number}: duplicate code {feature.code}"))
        elif feature:
            features[feature.code] = feature
    known = {
        c
        for chunk in chunked(list(features))
        for c in Area.objects.filter(code__in=chunk).values_list("code", flat=True)
    }
    errors += [RowError(0, "code", f"unknown area code {code}") for code in features if code not in known]
    if errors:
        raise ImportFailed(errors)
    return list(features.values())


def _parse_feature(raw: Any, number: int) -> tuple[_Feature | None, RowError | None]:
    properties = raw.get("properties") or {} if isinstance(raw, dict) else {}
    geometry = raw.get("geometry") if isinstance(raw, dict) else None
    code = str(properties.get("code") or "").strip()
    if not code:
        return None, RowError(number, "code", f"feature {number}: properties.code is missing")
    if not isinstance(geometry, dict) or geometry.get("type") not in _POLYGONS:
        return None, RowError(
            number, "geometry", f"feature {number} ({code}): geometry must be a Polygon or MultiPolygon"
        )
    if not geometry.get("coordinates"):
        return None, RowError(number, "geometry", f"feature {number} ({code}): geometry has no coordinates")
    label = None
    if isinstance(properties.get("label_lat"), int | float) and isinstance(properties.get("label_lng"), int | float):
        label = (float(properties["label_lat"]), float(properties["label_lng"]))
    compact = json.dumps({"type": geometry["type"], "coordinates": geometry["coordinates"]}, separators=(",", ":"))
    return _Feature(code, compact, label), None


def _set_labels(features: list[_Feature]) -> None:
    areas = [Area(code=f.code, label_lat=f.label[0], label_lng=f.label[1]) for f in features if f.label]
    Area.objects.bulk_update(areas, ["label_lat", "label_lng"], batch_size=500)
