"""Area pages and lists cost the same number of queries however many TPS there are."""

import pytest

from sinergi.areas import rollup
from sinergi.conftest import client_for
from testkit.builders import polling_station_make
from testkit.html import table_rows, text_of


def add_tps(desa: str, count: int) -> None:
    for number in range(10, 10 + count):
        polling_station_make(desa, number)
    rollup.recompute([desa])


@pytest.mark.django_db
@pytest.mark.parametrize("extra_tps", [0, 40])
def test_area_page_query_count_is_fixed(personas, django_assert_num_queries, extra_tps):
    add_tps("64.02.06.1001", extra_tps)
    client = client_for(personas.coordinator)
    # session, user, memberships, area, children, elections, provenance notes, unread notifications
    with django_assert_num_queries(8):
        page = client.get("/wilayah/64.02/")
    assert page.status_code == 200
    tps = 9 + extra_tps
    assert text_of(page.content, "tps-count") == str(tps)
    assert text_of(page.content, "dpt-total") == f"{tps * 290:,}".replace(",", ".")
    assert table_rows(page.content, "children-table") == [
        ["64.02.05", "Muara Badak", "3", "870"],
        ["64.02.06", "Tenggarong", str(6 + extra_tps), f"{(6 + extra_tps) * 290:,}".replace(",", ".")],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("extra_tps", [0, 40])
def test_api_lists_query_count_is_fixed(personas, bearer, client, django_assert_num_queries, extra_tps):
    add_tps("64.02.06.1001", extra_tps)
    headers = bearer(personas.coordinator)
    client.get("/api/v1/areas/64.02", headers=headers)  # the first use of a token records it
    # token, memberships, area, one page of rows
    with django_assert_num_queries(4):
        stations = client.get("/api/v1/areas/64.02/polling-stations?limit=20", headers=headers)
    assert stations.status_code == 200
    listed = stations.json()
    assert listed["count"] == 9 + extra_tps and len(listed["items"]) == min(20, 9 + extra_tps)
    assert all(item["code"].startswith("64.02.") for item in listed["items"])
    with django_assert_num_queries(4):
        children = client.get("/api/v1/areas/64.02/children", headers=headers)
    assert children.status_code == 200
    tps_of = {child["code"]: child["tps_count"] for child in children.json()["items"]}
    assert tps_of == {"64.02.05": 3, "64.02.06": 6 + extra_tps}
    admin_headers = bearer(personas.national_admin)
    client.get("/api/v1/areas/ID", headers=admin_headers)
    with django_assert_num_queries(3):
        nation = client.get("/api/v1/areas/ID", headers=admin_headers)
    assert nation.status_code == 200
    assert nation.json()["code"] == "ID" and nation.json()["tps_count"] == 12 + extra_tps


@pytest.mark.django_db
def test_polling_station_pages_follow_the_cursor(personas, bearer, client):
    headers = bearer(personas.coordinator)
    first = client.get("/api/v1/areas/64.02/polling-stations?limit=4", headers=headers).json()
    assert first["count"] == 9
    assert len(first["items"]) == 4
    second = client.get(
        f"/api/v1/areas/64.02/polling-stations?limit=4&after={first['next_cursor']}", headers=headers
    ).json()
    third = client.get(
        f"/api/v1/areas/64.02/polling-stations?limit=4&after={second['next_cursor']}", headers=headers
    ).json()
    codes = [i["code"] for page in (first, second, third) for i in page["items"]]
    assert len(codes) == len(set(codes)) == 9
    assert third["next_cursor"] is None
