"""Distances and bounding boxes on the sphere: pure functions, no ORM (the nearest-TPS lookup)."""

import math

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(lat: float, lng: float, km: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lng, max lng) of a box holding every point within `km` of the point.

    Indonesia straddles the equator, far from the poles, so the longitude span never wraps."""
    dlat = km / KM_PER_DEGREE_LAT
    dlng = km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def valid_point(lat: float, lng: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


def nearest(lat: float, lng: float, points: list[tuple[str, float, float]], limit: int) -> list[tuple[str, float]]:
    """The `limit` points nearest to (lat, lng), as (key, km), nearest first; ties by key."""
    ranked = sorted((distance_km(lat, lng, plat, plng), key) for key, plat, plng in points)
    return [(key, km) for km, key in ranked[:limit]]
