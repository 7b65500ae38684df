import pytest
from django.core.management import CommandError, call_command

from sinergi.accounts.models import ApiToken
from sinergi.accounts.tokens import token_revoke


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
    with pytest.raises(CommandError, match="no active user named nobody"):
        call_command("token", "create", "nobody")


@pytest.mark.django_db
def test_garbage_bearer_is_401(world, client):
    assert client.get("/api/v1/areas/64.02", headers={"Authorization": "Bearer sng_x_y"}).status_code == 401
