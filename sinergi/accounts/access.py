"""The one place that decides who may read and write what.

A module declares a `Policy` (which roles read, which write, within their areas) and, for each
object type it serves, one `ObjectAccess` in its `permissions.py`: the rule that returns the object
or raises. Invisible objects answer 404 (`NotFound`), visible but read-only ones 403 (`Forbidden`).
Routes declare which rule guards them (`accounts.guards`); a route without one fails a test.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sinergi.accounts.roles import ALL_ROLES, Role
from sinergi.areas.codes import NATIONAL_CODE, is_within
from sinergi.areas.models import Area, within
from sinergi.core.access import OBJECT_ACCESS as OBJECT_ACCESS
from sinergi.core.access import M as M
from sinergi.core.access import ObjectAccess
from sinergi.core.errors import Forbidden, NotFound

_CACHE_ATTR = "_sinergi_memberships"


def memberships_of(user: Any) -> list[tuple[str, str, int]]:
    """(role, area code, agency id) for each membership, loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(user.memberships.values_list("role", "area_id", "agency_id"))
        if user.is_superuser:
            cached.append((Role.ADMIN.value, NATIONAL_CODE, 0))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scopes(user: Any, roles: Iterable[str]) -> list[str]:
    """The area codes in which the user holds one of `roles`; admin covers everything."""
    wanted = set(roles)
    found = {area for role, area, _ in memberships_of(user) if role in wanted or role == Role.ADMIN}
    if NATIONAL_CODE in found:
        return [NATIONAL_CODE]
    # Drop scopes nested in another scope so that filters stay short.
    return sorted(code for code in found if not any(o != code and is_within(code, o) for o in found))


def agency_ids(user: Any, roles: Iterable[str] | None = None) -> set[int]:
    wanted = set(roles) if roles is not None else ALL_ROLES
    return {agency for role, _, agency in memberships_of(user) if role in wanted}


def scope_filter(codes: list[str], field: str) -> Q:
    """A filter matching `field` inside any of the scope codes; matches nothing if there are none."""
    if NATIONAL_CODE in codes:
        return Q()
    if not codes:
        return Q(pk__in=[])
    combined = Q()
    for code in codes:
        combined |= within(code, field)
    return combined


@dataclass(frozen=True)
class Policy:
    """Which roles of a module read and which write, always within the role's area."""

    name: str
    read: frozenset[str]
    write: frozenset[str]

    def read_scopes(self, user: Any) -> list[str]:
        return scopes(user, self.read | self.write)

    def write_scopes(self, user: Any) -> list[str]:
        return scopes(user, self.write)

    def can_read(self, user: Any, area_code: str) -> bool:
        return any(is_within(area_code, scope) for scope in self.read_scopes(user))

    def can_write(self, user: Any, area_code: str) -> bool:
        return any(is_within(area_code, scope) for scope in self.write_scopes(user))

    def check(self, user: Any, area_code: str, *, write: bool = False, what: str = "") -> None:
        """Raise NotFound if the user may not see the area's objects, Forbidden if read-only."""
        if not self.can_read(user, area_code):
            raise NotFound(_("%(what)s tidak ditemukan") % {"what": what or _(self.name)})
        if write and not self.can_write(user, area_code):
            raise Forbidden(read_only_refusal(self, what))

    def visible(self, queryset: QuerySet, user: Any, field: str, *, write: bool = False) -> QuerySet:
        codes = self.write_scopes(user) if write else self.read_scopes(user)
        return queryset.filter(scope_filter(codes, field))


def is_national_admin(user: Any) -> bool:
    return scopes(user, {Role.ADMIN}) == [NATIONAL_CODE]


def read_only_refusal(policy: Policy, what: str = "") -> str:
    return str(_("peran Anda hanya dapat membaca %(what)s di sini") % {"what": what or _(policy.name)})


def area_access(policy: Policy, kind: str) -> ObjectAccess:
    """The areas in which a module's pages are open to a user: read by `policy.read`, write by `policy.write`."""
    def refusal(user: Any, area: Any) -> str | None:
        return None if policy.can_write(user, area.code) else read_only_refusal(policy)

    return ObjectAccess(
        kind=kind,
        label=policy.name,
        queryset=Area.objects.all,
        readable=lambda user: scope_filter(policy.read_scopes(user), "code"),
        write_refusal=refusal,
        key_field="code",
    )
