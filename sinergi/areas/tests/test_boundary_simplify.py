"""Light boundaries for phones: simplified per level at import, served compressed with an ETag."""

import gzip
import itertools
import json
import math
from pathlib import Path

import pytest

from sinergi.areas.boundary_import import import_boundaries
from sinergi.areas.models import AreaBoundary
from sinergi.areas.simplify import TOLERANCE, coordinate_count, douglas_peucker, simplify_geometry
from sinergi.conftest import client_for


def wobbly_circle(cx: float, cy: float, radius: float, points: int = 2000) -> list[list[float]]:
    """A closed ring of `points` vertices: a circle with a wobble of 0.0001° (11 m) on its edge."""
    ring = []
    for i in range(points):
        angle = 2 * math.pi * i / points
        r = radius + 0.0001 * math.sin(i * 7.3)
        ring.append([round(cx + r * math.cos(angle), 7), round(cy + r * math.sin(angle), 7)])
    ring.append(ring[0])
    return ring


def islet(cx: float, cy: float) -> list[list[list[float]]]:
    """A 0.001° square: smaller than a province's tolerance, so not a pixel on the national map."""
    return [[[cx, cy], [cx + 0.001, cy], [cx + 0.001, cy + 0.001], [cx, cy + 0.001], [cx, cy]]]


def province_shape() -> str:
    main = [wobbly_circle(117.0, 0.5, 2.0), wobbly_circle(117.0, 0.5, 0.3, 400)]  # with a lake (a hole)
    return json.dumps({"type": "MultiPolygon", "coordinates": [main, islet(119.5, 0.5), islet(119.6, 0.6)]})


def distance_to_ring(point: list[float], ring: list[list[float]]) -> float:
    best = math.inf
    for (ax, ay), (bx, by) in itertools.pairwise(ring):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((point[0] - ax) * dx + (point[1] - ay) * dy) / ((dx * dx + dy * dy) or 1)))
        best = min(best, math.hypot(point[0] - ax - t * dx, point[1] - ay - t * dy))
    return best


def test_douglas_peucker_keeps_the_corners_and_drops_points_on_a_line():
    line = [[0.0, 0.0], [1.0, 0.0001], [2.0, 0.0], [2.0, 1.0], [2.0, 2.0], [0.0, 0.0]]
    assert douglas_peucker(line, 0.01) == [0, 2, 4, 5]
    assert douglas_peucker(line, 0.00001) == [0, 1, 2, 4, 5]  # the bump is now larger than the tolerance


def test_a_province_is_simplified_for_the_national_map():
    raw = province_shape()
    simple = json.loads(simplify_geometry(raw, "provinsi"))
    # The islets are gone, the main polygon keeps its lake; far fewer vertices.
    assert simple["type"] == "Polygon"
    outer, hole = simple["coordinates"]
    assert coordinate_count(json.dumps(simple)) < coordinate_count(raw) / 10
    for ring in (outer, hole):
        assert ring[0] == ring[-1] and len(ring) >= 4
        # Rounded to 3 decimals (111 m): no digits beyond the quantum.
        assert all(round(v, 3) == v for point in ring for v in point)
    # Every original vertex stays within the tolerance (plus the rounding) of the simplified outline.
    original = json.loads(raw)["coordinates"][0][0]
    worst = max(distance_to_ring(p, outer) for p in original[::20])
    assert worst <= TOLERANCE["provinsi"] + 0.001
    assert len(simplify_geometry(raw, "provinsi")) < len(raw) / 10


def test_finer_levels_keep_more_and_a_desa_is_served_as_stored():
    raw = province_shape()
    counts = [coordinate_count(simplify_geometry(raw, level)) for level in ("provinsi", "kabupaten_kota", "kecamatan")]
    assert counts[0] < counts[1] < counts[2]
    assert simplify_geometry(raw, "desa_kelurahan") == ""


def test_an_area_smaller_than_the_tolerance_keeps_its_shape():
    tiny = json.dumps({"type": "Polygon", "coordinates": islet(117.0, 0.5)})
    simple = json.loads(simplify_geometry(tiny, "provinsi"))
    assert simple["type"] == "Polygon" and len(simple["coordinates"][0]) >= 4


def _import(tmp_path: Path, code: str, geometry: str) -> None:
    path = tmp_path / "b.geojson"
    document = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"code": code}, "geometry": json.loads(geometry)}],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    import_boundaries(path)


@pytest.mark.django_db
def test_the_import_stores_both_and_the_map_gets_the_simplified_one(tmp_path, world, personas):
    raw = province_shape()
    _import(tmp_path, "64", raw)
    stored = AreaBoundary.objects.get(area_id="64")
    assert json.loads(stored.geometry) == json.loads(raw)  # the import keeps what it was given
    assert stored.simplified == simplify_geometry(raw, "provinsi")
    client = client_for(personas.national_admin)
    served = client.get("/api/v1/areas/ID/boundaries?children=true").json()
    assert [f["properties"]["code"] for f in served["features"]] == ["64"]
    assert served["features"][0]["geometry"] == json.loads(stored.simplified)


@pytest.mark.django_db
def test_boundaries_are_sent_compressed_with_an_etag(tmp_path, world, personas):
    _import(tmp_path, "64", province_shape())
    client = client_for(personas.national_admin)
    url = "/api/v1/areas/ID/boundaries?children=true"
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    body = gzip.decompress(response.content)
    assert json.loads(body)["features"][0]["properties"]["code"] == "64"
    assert len(response.content) < len(body)
    # Only this user's browser may keep them: the body depends on what the user may see.
    assert response["Cache-Control"] == "private, max-age=3600"
    assert {"Cookie", "Authorization", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    etag = response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    # A new import changes the body and so the tag: the phone gets the new outline.
    _import(tmp_path, "64", json.dumps({"type": "Polygon", "coordinates": [wobbly_circle(117.0, 0.5, 1.0)]}))
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.django_db
def test_pages_are_sent_compressed(world, personas):
    response = client_for(personas.coordinator).get("/wilayah/64.02/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert b"Tenggarong" in gzip.decompress(response.content)
