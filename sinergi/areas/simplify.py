"""Boundaries light enough for a phone: simplified for the zoom at which each level is drawn.

An area's boundary is drawn on its parent's map (the national room shows the provinces, Kaltim's
room its kabupaten/kota, Kukar's its kecamatan) or, for a desa, alone. So the tolerance follows
the area's own level: about half a pixel of the parent's map on a 1280 px screen (Indonesia is
46° wide, a province 3-10°, a kabupaten 1-3°, a kecamatan 0.2-0.5°). Douglas-Peucker per ring,
then coordinates rounded to a quantum well below the tolerance, then islands and holes smaller
than the tolerance dropped (a sub-pixel islet of a province on the national map). The largest
polygon of an area is always kept. Pure functions: GeoJSON geometry text in, text out.
"""

import json
from typing import Any

import numpy

# Degrees, by the level of the area the boundary belongs to. A desa is not simplified: it is drawn
# on a kecamatan's map (a few dozen small polygons) or alone, where every vertex shows.
TOLERANCE = {
    "provinsi": 0.015,
    "kabupaten_kota": 0.002,
    "kecamatan": 0.0005,
}
# Decimals kept: 10**-decimals is at most a fifth of the tolerance (0.001° is 111 m).
DECIMALS = {"provinsi": 3, "kabupaten_kota": 4, "kecamatan": 4}
_VECTOR_SPAN = 48

Ring = list[list[float]]


def simplify_geometry(geometry: str, level: str) -> str:
    """The geometry (GeoJSON Polygon or MultiPolygon text) simplified for maps of `level` areas;
    "" for a level that is served as stored (a desa)."""
    if level not in TOLERANCE:
        return ""
    shape = json.loads(geometry)
    tolerance, decimals = TOLERANCE[level], DECIMALS[level]
    polygons = shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
    kept = _simplify_polygons(polygons, tolerance, decimals)
    if shape["type"] == "Polygon" or len(kept) == 1:
        out: dict[str, Any] = {"type": "Polygon", "coordinates": kept[0]}
    else:
        out = {"type": "MultiPolygon", "coordinates": kept}
    return json.dumps(out, separators=(",", ":"))


def _simplify_polygons(polygons: list[list[Ring]], tolerance: float, decimals: int) -> list[list[Ring]]:
    largest = max(range(len(polygons)), key=lambda i: _extent(polygons[i][0]))
    kept: list[list[Ring]] = []
    for index, polygon in enumerate(polygons):
        if index != largest and _extent(polygon[0]) < tolerance:
            continue  # an islet smaller than the tolerance: not a pixel on this map
        rings = []
        for ring_index, ring in enumerate(polygon):
            if ring_index and _extent(ring) < tolerance:
                continue  # a hole smaller than the tolerance
            simple = simplify_ring(ring, tolerance, decimals)
            if simple is None:
                if ring_index == 0 and index == largest:
                    simple = _rounded(ring, decimals) or ring  # never lose the area itself
                else:
                    continue
            rings.append(simple)
        if rings and len(rings[0]) >= 4:
            kept.append(rings)
    return kept


def simplify_ring(ring: Ring, tolerance: float, decimals: int) -> Ring | None:
    """A closed ring simplified and rounded, or None when fewer than three corners remain."""
    points = [[float(p[0]), float(p[1])] for p in ring]
    if len(points) < 4:
        return None
    keep = douglas_peucker(points, tolerance)
    return _rounded([points[i] for i in keep], decimals)


def _rounded(points: Ring, decimals: int) -> Ring | None:
    out: Ring = []
    for x, y in ((p[0], p[1]) for p in points):
        point = [round(x, decimals), round(y, decimals)]
        if not out or out[-1] != point:
            out.append(point)
    if len(out) > 1 and out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4:
        return None
    return out


def douglas_peucker(points: Ring, tolerance: float) -> list[int]:
    """Indices of the points kept, first and last included (iterative, no recursion limit).

    Long spans are measured with numpy in one step, short ones point by point (cheaper than
    building arrays for a handful of points)."""
    last = len(points) - 1
    if last < 2:
        return list(range(last + 1))
    xs = numpy.fromiter((p[0] for p in points), dtype=float, count=last + 1)
    ys = numpy.fromiter((p[1] for p in points), dtype=float, count=last + 1)
    keep = [False] * (last + 1)
    keep[0] = keep[last] = True
    stack = [(0, last)]
    tolerance_sq = tolerance * tolerance
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        ax, ay = points[start]
        bx, by = points[end]
        dx, dy = bx - ax, by - ay
        length_sq = dx * dx + dy * dy
        if end - start > _VECTOR_SPAN:
            px, py = xs[start + 1 : end], ys[start + 1 : end]
            if length_sq == 0.0:
                distances = (px - ax) ** 2 + (py - ay) ** 2
            else:
                distances = (dx * (py - ay) - dy * (px - ax)) ** 2 / length_sq
            offset = int(distances.argmax())
            farthest, index = float(distances[offset]), start + 1 + offset
        else:
            farthest, index = -1.0, -1
            for i in range(start + 1, end):
                px_, py_ = points[i]
                if length_sq == 0.0:
                    distance = (px_ - ax) ** 2 + (py_ - ay) ** 2
                else:
                    # The squared distance from the point to the line through a and b.
                    cross = dx * (py_ - ay) - dy * (px_ - ax)
                    distance = cross * cross / length_sq
                if distance > farthest:
                    farthest, index = distance, i
        if farthest > tolerance_sq:
            keep[index] = True
            stack.append((start, index))
            stack.append((index, end))
    return [i for i, kept in enumerate(keep) if kept]


def _extent(ring: Ring) -> float:
    """The larger side of the ring's bounding box, in degrees."""
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys)) if ring else 0.0


def coordinate_count(geometry: str) -> int:
    shape = json.loads(geometry)
    polygons = shape["coordinates"] if shape["type"] == "MultiPolygon" else [shape["coordinates"]]
    return sum(len(ring) for polygon in polygons for ring in polygon)
