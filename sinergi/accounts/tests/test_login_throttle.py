import pytest
from django.test import Client

from sinergi.core.testing import PASSWORD


def attempt(client: Client, username: str, password: str):
    return client.post("/akun/masuk/", {"username": username, "password": password})


@pytest.mark.django_db
def test_five_failures_block_the_account_from_that_address_even_with_the_right_password(personas):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(5):
        assert attempt(client, "koordinator", "wrong").status_code == 200
    response = attempt(client, "koordinator", PASSWORD)
    assert response.status_code == 200
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert attempt(Client(REMOTE_ADDR="10.1.1.2"), "koordinator", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_success_clears_the_failures(personas):
    client = Client(REMOTE_ADDR="10.1.1.3")
    for _ in range(4):
        attempt(client, "petugas", "wrong")
    assert attempt(client, "petugas", PASSWORD).status_code == 302
    client.post("/akun/keluar/")
    for _ in range(4):
        attempt(client, "petugas", "wrong")
    assert attempt(client, "petugas", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_blocked(personas, settings):
    settings.LOGIN_THROTTLE = {**settings.LOGIN_THROTTLE, "per_address": 6}
    client = Client(REMOTE_ADDR="10.9.9.9")
    for name in ["a", "b", "c", "d", "e", "f"]:
        attempt(client, name, "guess")
    assert "Terlalu banyak percobaan" in attempt(client, "koordinator", PASSWORD).content.decode()
