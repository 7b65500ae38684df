import pytest
from django.test import Client

from testkit.builders import PASSWORD


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


def failures_for(username: str):
    from sinergi.accounts.models import LoginFailure

    return list(LoginFailure.objects.filter(username=username).values_list("address", flat=True))


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_from_an_untrusted_address_is_not_the_counted_address(personas, settings):
    settings.SINERGI_TRUSTED_PROXIES = ["10.0.0.1"]
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    attempt(client, "koordinator", "wrong")
    assert failures_for("koordinator") == ["203.0.113.7"]
    # Rotating the header does not spread the failures over many addresses either.
    for n in range(2, 6):
        attempt(Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"), "koordinator", "wrong")
    response = attempt(Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.99"), "koordinator", PASSWORD)
    assert "Terlalu banyak percobaan" in response.content.decode()


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(personas, settings):
    settings.SINERGI_TRUSTED_PROXIES = ["10.0.0.0/24"]
    attempt(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.2"), "koordinator", "wrong")
    assert failures_for("koordinator") == ["198.51.100.1"]


@pytest.mark.django_db
def test_many_addresses_lock_the_account_but_not_its_neighbours_behind_the_same_proxy(personas, settings):
    settings.SINERGI_TRUSTED_PROXIES = ["10.0.0.1"]

    def via_proxy(client_ip: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=client_ip)

    for n in range(30):
        attempt(via_proxy(f"198.51.100.{n + 1}"), "koordinator", "wrong")
    # Each failure is counted at its real client (until the account locks), not at the proxy.
    assert len(set(failures_for("koordinator"))) == settings.LOGIN_THROTTLE["per_account_total"]
    # The right password from a fresh address is refused: the account itself is locked for the window.
    response = attempt(via_proxy("192.0.2.50"), "koordinator", PASSWORD)
    assert "Terlalu banyak percobaan" in response.content.decode()
    # Everyone else behind the same proxy (even at an address the attacker used) still signs in.
    assert attempt(via_proxy("192.0.2.51"), "petugas", PASSWORD).status_code == 302
    assert attempt(via_proxy("198.51.100.1"), "orangluar", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_guess_spread_over_many_addresses_locks_that_account_only(personas):
    for n in range(30):
        attempt(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "koordinator", "wrong")
    response = attempt(Client(REMOTE_ADDR="192.0.2.50"), "koordinator", PASSWORD)
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert attempt(Client(REMOTE_ADDR="198.51.100.1"), "petugas", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_counts_and_honours_the_same_throttle(personas):
    """/admin/login/ is Django's own form: without the throttle it was an unlimited guess at the
    national administrator's password, next to a throttled /akun/masuk/."""
    client = Client(REMOTE_ADDR="10.7.7.7")
    for _ in range(5):
        assert client.post("/admin/login/", {"username": "admin", "password": "wrong"}).status_code == 200
    assert len(failures_for("admin")) == 5
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 200 and "Terlalu banyak percobaan" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert (
        Client(REMOTE_ADDR="10.7.7.8").post("/admin/login/", {"username": "admin", "password": PASSWORD}).status_code
        == 302
    )
