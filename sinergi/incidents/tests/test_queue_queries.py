import pytest

from sinergi.conftest import client_for
from sinergi.incidents.tests.factories import MUARA_BADAK_TPS, kapolsek, report_make
from testkit.html import table_rows, text_of


def _fill(personas, n: int) -> None:
    for i in range(n):
        report_make(
            personas.coordinator,
            description=f"Ancaman nomor {i}",
            area_code=MUARA_BADAK_TPS if i % 2 else "64.02.06.1001",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 30])
def test_queue_page_query_count_does_not_grow_with_reports(personas, django_assert_num_queries, n):
    _fill(personas, n)
    client = client_for(personas.coordinator)
    # session, user, memberships, the page's ids, the page's rows, subordinate agencies +
    # needs-my-action count, unread notifications, categories
    with django_assert_num_queries(9):
        response = client.get("/laporan/?tab=all&state=open&severity=3&age=lt24h")
    assert response.status_code == 200
    rows = table_rows(response.content, "queue-table")
    assert len(rows) == n  # every report of the filter, newest first
    assert [row[-1] for row in rows] == [f"Ancaman nomor {i}" for i in reversed(range(n))]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 30])
def test_api_list_query_count_is_pinned(personas, bearer, client, django_assert_num_queries, n):
    _fill(personas, n)
    headers = bearer(personas.coordinator)
    # token lookup, token touch, memberships, the page's ids, the page's rows with their joins
    with django_assert_num_queries(5):
        body = client.get("/api/v1/incidents?limit=10&category=intimidasi-kekerasan", headers=headers).json()
    assert len(body["items"]) == min(10, n)


@pytest.mark.django_db
def test_cursor_pages_cover_everything_once_and_needs_my_action_is_per_agency(personas, bearer, client):
    _fill(personas, 25)
    headers = bearer(personas.coordinator)
    seen: list[int] = []
    cursor = None
    while True:
        url = "/api/v1/incidents?limit=10" + (f"&before={cursor}" if cursor else "")
        body = client.get(url, headers=headers).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 25 == len(set(seen)) and seen == sorted(seen, reverse=True)
    # Kapolsek Tenggarong's queue has the Tenggarong reports only (Muara Badak goes to Polres Bontang).
    mine = client.get("/api/v1/incidents?mine=true&limit=100", headers=bearer(kapolsek())).json()["items"]
    assert len(mine) == 13 and {item["agency"] for item in mine} == {"polsek-tenggarong"}
    filtered = client.get("/api/v1/incidents?area=64.02.05&limit=100", headers=headers).json()["items"]
    assert len(filtered) == 12 and all(item["desa_code"].startswith("64.02.05.") for item in filtered)


@pytest.mark.django_db
def test_report_page_query_count_is_pinned(personas, django_assert_num_queries):
    report = report_make(personas.coordinator)
    for i in range(5):
        report_make(personas.coordinator, description=f"Sekelompok orang mengancam petugas KPPS di depan TPS ({i})")
    client = client_for(personas.coordinator)
    # session, user, report with joins, memberships, timeline, duplicate candidates, attachments,
    # merged duplicates, unread notifications
    with django_assert_num_queries(9):
        response = client.get(f"/laporan/{report.pk}/")
    assert response.status_code == 200
    assert text_of(response.content, "report-agency") == "Polsek Tenggarong"
    look_alikes = table_rows(response.content, "duplicates")
    assert len(look_alikes) == 5 and all("mengancam petugas KPPS" in row[2] for row in look_alikes)
    assert table_rows(response.content, "timeline")[0][1]  # the report's first event is shown


@pytest.mark.django_db
def test_reporters_see_what_they_filed(personas, bearer, client):
    own = report_make(personas.field_officer)
    report_make(personas.coordinator, area_code="64.02.06.1001")
    page = client_for(personas.field_officer).get("/laporan/?tab=filed").content.decode()
    assert f'data-id="{own.pk}"' in page and page.count("data-id=") == 1
    items = client.get("/api/v1/incidents?filed=true", headers=bearer(personas.field_officer)).json()["items"]
    assert [item["id"] for item in items] == [own.pk]
