"""Who may see the operations of the platform: the national administrator only."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from sinergi.accounts.access import is_national_admin
from sinergi.accounts.guards import Rule
from sinergi.core.errors import Forbidden


@dataclass(frozen=True)
class NationalAdmin(Rule):
    """Signed in as the national administrator (a superuser or an admin of the national area); 403 otherwise."""

    def describe(self) -> str:
        return "national administrator"

    def resolve(self, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        if not is_national_admin(request.user):
            raise Forbidden(_("hanya administrator nasional yang dapat melihat operasi platform"))


NATIONAL_ADMIN = NationalAdmin()
