import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sinergi.accounts.models import ApiToken, User
from sinergi.accounts.tokens import token_create, token_revoke


@pytest.mark.django_db
def test_token_command_prints_a_working_token_stored_only_as_a_hash(personas, client, capsys):
    call_command("token", "create", "petugas")
    key = capsys.readouterr().out.strip()
    assert key.startswith("sng_")
    stored = ApiToken.objects.get(user=personas.field_officer)
    assert key not in (stored.key_hash, stored.prefix)
    response = client.get("/api/v1/areas/64.02.06", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    token_revoke(token=stored, actor=personas.national_admin)
    assert client.get("/api/v1/areas/64.02.06", headers={"Authorization": f"Bearer {key}"}).status_code == 401


@pytest.mark.django_db
def test_token_for_unknown_user_is_an_error(world):
    with pytest.raises(CommandError, match="tidak ada pengguna aktif bernama nobody"):
        call_command("token", "create", "nobody")


@pytest.mark.django_db
def test_garbage_bearer_is_401(world, client):
    assert client.get("/api/v1/areas/64.02", headers={"Authorization": "Bearer sng_x_y"}).status_code == 401


AREA = "/api/v1/areas/64.02.06"


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db
def test_tokens_expire_after_the_configured_days(personas, client, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.SINERGI_TOKEN_DAYS = 30
    key = token_create(user=personas.field_officer)
    token = ApiToken.objects.get(user=personas.field_officer)
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert client.get(AREA, headers=auth(key)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(AREA, headers=auth(key)).status_code == 401


@pytest.mark.django_db
def test_a_password_change_revokes_every_token_of_the_user(personas, client):
    key = token_create(user=personas.field_officer)
    other = token_create(user=personas.coordinator)
    assert client.get(AREA, headers=auth(key)).status_code == 200
    user = personas.field_officer
    user.set_password("a-new-password-456")
    user.save()
    assert client.get(AREA, headers=auth(key)).status_code == 401
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert client.get(AREA, headers=auth(other)).status_code == 200  # someone else's token lives on


@pytest.mark.django_db
def test_an_unusable_password_revokes_tokens_but_a_hasher_upgrade_does_not(personas, client, settings):
    from testkit.builders import PASSWORD

    key = token_create(user=personas.field_officer)
    # A login re-hashes the password when the preferred hasher changed: same password, tokens live.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    user = User.objects.get(pk=personas.field_officer.pk)
    assert user.check_password(PASSWORD)
    assert User.objects.get(pk=user.pk).password.startswith("pbkdf2_sha256$")
    assert client.get(AREA, headers=auth(key)).status_code == 200
    user.set_unusable_password()
    user.save(update_fields=["password"])
    assert client.get(AREA, headers=auth(key)).status_code == 401


@pytest.mark.django_db
def test_owners_list_their_tokens_from_the_profile_and_revoke_them(personas, client):
    key = token_create(user=personas.field_officer, name="laptop")
    token_create(user=personas.coordinator, name="rahasia-koordinator")
    client.force_login(personas.field_officer)
    profile = client.get("/akun/profil/").content.decode()
    assert 'href="/akun/token/"' in profile
    page = client.get("/akun/token/").content.decode()
    token = ApiToken.objects.get(user=personas.field_officer)
    assert "laptop" in page and f"sng_{token.prefix}_" in page and "rahasia-koordinator" not in page
    assert client.get(f"/akun/token/{token.pk}/cabut/").status_code == 405  # revoke is a POST
    assert client.post(f"/akun/token/{token.pk}/cabut/").status_code == 302
    assert Client().get(AREA, headers=auth(key)).status_code == 401
    assert "dicabut" in client.get("/akun/token/").content.decode()


@pytest.mark.django_db
def test_nobody_else_can_revoke_a_token(personas, client):
    key = token_create(user=personas.field_officer)
    token = ApiToken.objects.get(user=personas.field_officer)
    client.force_login(personas.national_admin)
    assert client.post(f"/akun/token/{token.pk}/cabut/").status_code == 404
    client.logout()
    response = client.post(f"/akun/token/{token.pk}/cabut/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert client.get(AREA, headers=auth(key)).status_code == 200


@pytest.mark.django_db
def test_token_list_and_revoke_commands(personas, client, capsys):
    call_command("token", "create", "petugas", "--name", "gateway")
    key = capsys.readouterr().out.strip()
    prefix = key.split("_")[1]
    call_command("token", "list", "petugas")
    listing = capsys.readouterr().out
    assert prefix in listing and "gateway" in listing and "active" in listing
    call_command("token", "revoke", prefix)
    assert "dicabut" in capsys.readouterr().out
    assert client.get(AREA, headers=auth(key)).status_code == 401
    call_command("token", "list", "petugas")
    assert "revoked" in capsys.readouterr().out
    with pytest.raises(CommandError, match="tidak ada token berawalan"):
        call_command("token", "revoke", "ffffffff")


@pytest.mark.django_db
def test_the_tokens_page_speaks_english_on_request(personas, client):
    token_create(user=personas.field_officer, name="laptop")
    client.force_login(personas.field_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/token/"})
    page = client.get("/akun/token/").content.decode()
    assert "Revoke" in page and "valid for 90 days" in page
    assert "1 active token." in client.get("/akun/profil/").content.decode()
