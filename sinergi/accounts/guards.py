"""Route rules that need a policy. The rules themselves (`PUBLIC`, `SIGNED_IN`, `Guard`, `page`,
`operation`, `guarded`) live in `core.guards`, below every app, so that core's own routes are guarded
without importing an app; they are re-exported here so an app imports every route rule from one place.

- `WritesSomewhere(policy)`: a create whose area is in the body; the user needs a write scope of the
  policy somewhere (403 otherwise), and the service checks the named area with the same policy.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from sinergi.accounts.access import Policy
from sinergi.core.errors import Forbidden
from sinergi.core.guards import PUBLIC as PUBLIC
from sinergi.core.guards import RULE_ATTR as RULE_ATTR
from sinergi.core.guards import SAFE_METHODS as SAFE_METHODS
from sinergi.core.guards import SIGNED_IN as SIGNED_IN
from sinergi.core.guards import Guard as Guard
from sinergi.core.guards import Public as Public
from sinergi.core.guards import Rule
from sinergi.core.guards import guarded as guarded
from sinergi.core.guards import operation as operation
from sinergi.core.guards import page as page
from sinergi.core.guards import rule_of as rule_of


@dataclass(frozen=True)
class WritesSomewhere(Rule):
    policy: Policy

    def describe(self) -> str:
        return f"write scope of {self.policy.name}"

    def resolve(self, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        if not self.policy.write_scopes(request.user):
            raise Forbidden(_("peran Anda tidak dapat menulis %(what)s") % {"what": _(self.policy.name)})
