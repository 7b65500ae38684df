import math

import pytest

from sinergi.field import geo


def test_distance_of_one_degree_of_latitude():
    assert geo.distance_km(0.0, 117.0, 1.0, 117.0) == pytest.approx(111.195, abs=0.01)


def test_distance_is_symmetric_and_zero_at_the_point():
    a, b = (-0.4369, 116.9916), (-0.4285, 116.9841)  # Timbau and Melayu, Tenggarong
    assert geo.distance_km(*a, *b) == pytest.approx(geo.distance_km(*b, *a))
    assert geo.distance_km(*a, *a) == 0
    assert 1.0 < geo.distance_km(*a, *b) < 1.4


def test_bounding_box_holds_every_point_within_the_radius():
    lat, lng, km = -0.45, 116.98, 3.0
    lat_min, lat_max, lng_min, lng_max = geo.bounding_box(lat, lng, km)
    for bearing in range(0, 360, 15):
        # a point just inside the radius in every direction
        d = (km * 0.999) / geo.EARTH_RADIUS_KM
        b = math.radians(bearing)
        p1 = math.radians(lat)
        p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
        l2 = math.radians(lng) + math.atan2(
            math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
        )
        plat, plng = math.degrees(p2), math.degrees(l2)
        assert geo.distance_km(lat, lng, plat, plng) <= km
        assert lat_min <= plat <= lat_max and lng_min <= plng <= lng_max


def test_nearest_ranks_by_distance_and_breaks_ties_by_key():
    points = [("c", 0.0, 0.02), ("a", 0.0, 0.01), ("b", 0.0, -0.01), ("far", 1.0, 1.0)]
    ranked = geo.nearest(0.0, 0.0, points, 3)
    assert [key for key, _ in ranked] == ["a", "b", "c"]
    assert ranked[0][1] == pytest.approx(1.112, abs=0.001)


def test_valid_point():
    assert geo.valid_point(-0.4, 117.0)
    assert not geo.valid_point(95.0, 117.0)
    assert not geo.valid_point(float("nan"), 117.0)
