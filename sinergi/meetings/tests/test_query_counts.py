"""List pages cost the same number of queries however many meetings and actions there are."""

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from sinergi.conftest import client_for
from sinergi.meetings.tests.factories import WITA, action_make, decision_make, meeting_make
from testkit.html import table_rows

pytestmark = pytest.mark.django_db

PAGES = {"/rapat/": 6, "/rapat/tindak-lanjut/": 5, "/rapat/tindak-lanjut/saya/": 5}


def make(boss, n: int) -> None:
    for i in range(n):
        meeting = meeting_make(boss, when=datetime(2024, 9, 1 + i, 9, tzinfo=WITA), title=f"Rakor {i}")
        decision = decision_make(boss, meeting)
        action_make(boss, decision, agency="kesbangpol-kukar", title=f"Aksi {i}")


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize(("url", "queries"), PAGES.items())
def test_list_pages_are_pinned(personas, django_assert_num_queries, count, url, queries):
    make(personas.coordinator, count)
    web = client_for(personas.coordinator)
    web.get(url)
    with django_assert_num_queries(queries):
        page = web.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    if url == "/rapat/":
        titles = [row[1] for row in table_rows(html, "meetings-table")]
        assert titles == [f"Rakor {i} Kabupaten Kutai Kartanegara" for i in reversed(range(count))]  # newest first
    else:  # every action is the coordinator's own agency's (Kesbangpol Kukar)
        assert html.count('data-action="') == count
        assert all(f">Aksi {i}</a>" in html for i in range(count))


@pytest.mark.parametrize("extra_decisions", [0, 4])
def test_meeting_page_is_pinned(personas, django_assert_num_queries, founding, extra_decisions):
    for i in range(extra_decisions):
        action_make(personas.coordinator, decision_make(personas.coordinator, founding["meeting"], f"K{i}"))
    web = client_for(personas.coordinator)
    url = f"/rapat/{founding['meeting'].pk}/"
    web.get(url)
    with django_assert_num_queries(11):
        page = web.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="card decision"') == 2 + extra_decisions
    assert "Camat memetakan kerawanan" in html and "Hibah pengamanan diselesaikan" in html
    assert all(f"{i + 3}.</b> K{i}" in html for i in range(extra_decisions))
    assert html.count('data-action="') == 1 + extra_decisions


@pytest.mark.parametrize("extra_actions", [0, 4])
def test_meeting_actions_xlsx_is_pinned(personas, django_assert_num_queries, founding, extra_actions):
    for i in range(extra_actions):
        action_make(personas.coordinator, founding["decision"], title=f"Aksi {i}")
    web = client_for(personas.coordinator)
    url = f"/rapat/{founding['meeting'].pk}/tindak-lanjut.xlsx"
    web.get(url)
    with django_assert_num_queries(8):
        answer = web.get(url)
    assert answer.status_code == 200
    sheet = load_workbook(BytesIO(answer.content)).active
    titles = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value}
    assert {f"Aksi {i}" for i in range(extra_actions)} <= titles
    assert sum(1 for title in titles if title.startswith("Aksi ")) == extra_actions
