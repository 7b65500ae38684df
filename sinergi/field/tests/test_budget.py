"""Page weight budgets from the built assets (bytes, not time): the first load of the field app under
150 KB compressed, each later action under 20 KB. Measured with gzip, as whitenoise serves them."""

import gzip
import json

import pytest
from django.test import Client

from sinergi.accounts.roles import Role
from sinergi.areas.models import PollingStation
from sinergi.conftest import client_for
from sinergi.field.assets import SHELL_ASSETS
from sinergi.field.tests.conftest import OWN_TPS
from testkit.builders import user_make

pytestmark = pytest.mark.django_db
FIRST_LOAD_BUDGET = 150 * 1024
ACTION_BUDGET = 20 * 1024
KUKAR_TPS = 1447
KUKAR_DESAS = ["64.02.06.1001", "64.02.06.2001", "64.02.05.2001"]


def gz(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def static_body(client: Client, name: str) -> bytes:
    response = client.get(f"/static/{name}")
    assert response.status_code == 200, name
    return b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]


def first_load(client: Client) -> dict[str, int]:
    """What a phone downloads to open the app the first time and install it."""
    sizes = {
        "shell": gz(client.get("/lapangan/").content),
        "sw.js": gz(Client().get("/lapangan/sw.js").content),
        "manifest": gz(Client().get("/lapangan/manifest.webmanifest").content),
        "reference": gz(client.get("/api/v1/field/reference").content),
    }
    for name in SHELL_ASSETS:
        sizes[name] = gz(static_body(client, name))
    return sizes


@pytest.fixture
def kukar_scale(world):
    """As many TPS as Kukar has (1,447), spread over the small world's Kukar desa."""
    stations = []
    for i in range(KUKAR_TPS - 9):
        desa = KUKAR_DESAS[i % 3]
        stations.append(
            PollingStation(
                code=f"{desa}.{100 + i // 3:03d}", desa_id=desa, number=100 + i // 3, lat=-0.43 - i / 1e4, lng=116.98
            )
        )
    PollingStation.objects.bulk_create(stations)
    return user_make("pkd.kukar", Role.FIELD_OFFICER, "64.02", "bawaslu-kukar")


def test_first_load_is_under_budget_for_a_whole_regency(kukar_scale, election, checklist_round):
    client = client_for(kukar_scale)
    reference = client.get("/api/v1/field/reference").json()
    assert len(reference["tps"]) == PollingStation.objects.filter(code__startswith="64.02.").count() >= KUKAR_TPS
    sizes = first_load(client)
    total = sum(sizes.values())
    assert total < FIRST_LOAD_BUDGET, sizes
    assert sizes["field/app.js"] < 12 * 1024, sizes  # the app itself stays small


def test_each_action_is_under_budget(officer, election, checklist_round):
    client = client_for(officer)
    turnout = {
        "tps_code": OWN_TPS,
        "checkpoint": "09",
        "voters": 85,
        "client_id": "hp-b1",
        "election": "pilbup-kukar-2024",
    }
    body = json.dumps(turnout).encode()
    response = client.post("/api/v1/turnout/reports", body, content_type="application/json")
    assert response.status_code == 201
    assert len(body) + len(response.content) < ACTION_BUDGET
    incident = {
        "category": "politik-uang",
        "area_code": OWN_TPS,
        "description": "pembagian amplop di dekat TPS " * 10,
        "client_id": "hp-b2",
    }
    response = client.post("/api/v1/field/incidents", incident)
    assert response.status_code == 201
    assert len(json.dumps(incident)) + len(response.content) < ACTION_BUDGET
    answers = {
        i["code"]: {"yes": False} for i in client.get("/api/v1/field/reference").json()["rounds"][0]["indicators"]
    }
    checklist = {"client_id": "hp-b3", "answers": json.dumps(answers)}
    response = client.post(f"/api/v1/field/tps/{OWN_TPS}/checklist", checklist)
    assert response.status_code == 200, response.content
    assert len(json.dumps(checklist)) + len(response.content) < ACTION_BUDGET
    receipts = client.get("/api/v1/field/receipts?ids=hp-b1,hp-b2,hp-b3")
    assert len(receipts.json()) == 3 and len(receipts.content) < ACTION_BUDGET
