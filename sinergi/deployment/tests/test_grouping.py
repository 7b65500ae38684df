"""Posts: nearby TPS of one class, never more than the pattern's TPS per team."""

import numpy as np

from sinergi.deployment.grouping import NATIONAL_DEFAULT, group_posts, haversine_km, post_demand


def test_posts_hold_one_class_and_at_most_the_pattern_size():
    rng = np.random.default_rng(1)
    n = 60
    lat, lng = -0.4 + rng.random(n) * 0.02, 117 + rng.random(n) * 0.02
    classes = ["kurang_rawan"] * 40 + ["rawan"] * 15 + ["sangat_rawan"] * 5
    posts = group_posts(["64.02.06"] * n, classes, lat, lng, {"64.02.06": NATIONAL_DEFAULT}, radius_km=5)
    assert sorted(i for p in posts for i in p.tps) == list(range(n))
    for post in posts:
        assert {classes[i] for i in post.tps} == {post.tps_class}
        assert len(post.tps) <= NATIONAL_DEFAULT[post.tps_class].polri_tps
    assert sum(p.tps_class == "kurang_rawan" for p in posts) == 4


def test_tps_farther_than_the_radius_get_their_own_post():
    lat, lng = np.array([-0.4, -0.4, -0.4]), np.array([117.0, 117.001, 117.3])
    posts = group_posts(["k"] * 3, ["kurang_rawan"] * 3, lat, lng, {"k": NATIONAL_DEFAULT}, radius_km=3)
    assert sorted(len(p.tps) for p in posts) == [1, 2]
    assert haversine_km(-0.4, 117.0, -0.4, 117.3) > 30


def test_demand_follows_the_polri_2020_pattern():
    assert post_demand(10, NATIONAL_DEFAULT["kurang_rawan"]) == {"polri": 2, "tni": 1, "linmas": 20}
    assert post_demand(2, NATIONAL_DEFAULT["rawan"]) == {"polri": 2, "tni": 1, "linmas": 4}
    assert post_demand(1, NATIONAL_DEFAULT["khusus"]) == {"polri": 2, "tni": 1, "linmas": 2}
