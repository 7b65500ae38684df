"""Access rules of the accounts app's own objects."""


from django.db.models import Q
from django.utils.translation import gettext_noop

from sinergi.accounts.access import ObjectAccess
from sinergi.accounts.models import Actor, ApiToken


def _own(user: Actor) -> Q:
    # A token is its owner's alone: nobody else (not even an admin) sees it on the pages; operators
    # revoke tokens with `sinergi token revoke`.
    return Q(user_id=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])


TOKENS: ObjectAccess[ApiToken] = ObjectAccess(
    kind="accounts.apitoken",
    label=gettext_noop("token API"),
    queryset=ApiToken.objects.all,
    readable=_own,
    write_refusal=lambda user, token: None,
)
