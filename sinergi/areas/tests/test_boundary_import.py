import json
from pathlib import Path

import pytest
from django.utils import translation

from sinergi.areas.boundary_import import import_boundaries
from sinergi.areas.models import Area, AreaBoundary
from sinergi.conftest import client_for
from sinergi.core.errors import ImportFailed


@pytest.fixture(autouse=True)
def english():
    """The import messages are checked in English: the catalogue's translation of the Indonesian source."""
    with translation.override("en"):
        yield

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[116.9, -0.5], [117.0, -0.5], [117.0, -0.4], [116.9, -0.4], [116.9, -0.5]]],
}


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def feature(code: str, geometry: dict | None = None, **properties) -> dict:
    return {"type": "Feature", "properties": {"code": code, **properties}, "geometry": geometry or SQUARE}


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(document) if not isinstance(document, str) else document, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_stores_geometry_and_label_point(tmp_path, world):
    result = import_boundaries(write(tmp_path, collection(feature("64.02.06", label_lat=-0.45, label_lng=116.95))))
    assert result.added == 1
    assert json.loads(AreaBoundary.objects.get(area_id="64.02.06").geometry) == SQUARE
    assert Area.objects.get(code="64.02.06").label_lat == -0.45
    assert import_boundaries(write(tmp_path, collection(feature("64.02.06")))).batch_id is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{not json", "not valid JSON"),
        ({"type": "Feature"}, "expected a GeoJSON FeatureCollection"),
        (collection(feature("64.99")), "unknown area code 64.99"),
        (
            collection(feature("64.02", {"type": "Point", "coordinates": [117, -0.4]})),
            "must be a Polygon or MultiPolygon",
        ),
        (collection({"type": "Feature", "properties": {}, "geometry": SQUARE}), "properties.code is missing"),
        (collection(feature("64.02"), feature("64.02")), "duplicate code 64.02"),
    ],
)
def test_bad_geojson_is_refused_whole(tmp_path, world, document, expected):
    with pytest.raises(ImportFailed) as failure:
        import_boundaries(write(tmp_path, document))
    assert any(expected in e.reason for e in failure.value.errors), failure.value.errors
    assert not AreaBoundary.objects.exists()


@pytest.mark.django_db
def test_children_boundaries_are_served_with_counts(tmp_path, personas):
    import_boundaries(write(tmp_path, collection(feature("64.02.06"), feature("64.02.05"), feature("64.72.01"))))
    response = client_for(personas.coordinator).get("/api/v1/areas/64.02/boundaries")
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [f["properties"]["code"] for f in features] == ["64.02.05", "64.02.06"]
    assert features[1]["properties"]["tps_count"] == 6
    assert features[1]["geometry"] == SQUARE


@pytest.mark.django_db
def test_a_field_officer_gets_only_their_own_branch_on_the_map(tmp_path, personas):
    import_boundaries(write(tmp_path, collection(feature("64.02.06"), feature("64.02.05"))))
    response = client_for(personas.field_officer).get("/api/v1/areas/64.02.06/boundaries?children=false")
    assert [f["properties"]["code"] for f in response.json()["features"]] == ["64.02.06"]
    assert client_for(personas.field_officer).get("/api/v1/areas/64.02/boundaries").status_code == 404
