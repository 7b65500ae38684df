"""The rule for one object type: which objects a user reads and whether they may change one.

Every app declares one `ObjectAccess` per object type in its `permissions.py`, with the filter that
decides visibility (usually an `accounts.access.Policy` scoped by area) and the reasons a reader may not
write. Invisible objects answer 404 (`NotFound`), visible but read-only ones 403 (`Forbidden`). This
module knows no app: the filters are the apps' own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from sinergi.core.errors import Forbidden, NotFound

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class ObjectAccess(Generic[M]):
    """The one rule for one object type: which of them a user reads, and whether they may change one.

    `readable(user)` is a filter over the model, so a list and a single object are decided by the
    same rule. `write_refusal(user, obj)` says why the user may not change a readable object (403),
    or None. State rules (approved, closed) belong there too, so no caller can forget them.
    Every page, API operation, export and command gets its objects through `get` or `visible`.
    """

    kind: str
    label: str
    queryset: Callable[[], QuerySet[M]]
    readable: Callable[[Any], Q]
    write_refusal: Callable[[Any, M], str | None]
    key_field: str = "pk"

    def __post_init__(self) -> None:
        OBJECT_ACCESS[self.kind] = self

    def visible(self, user: Any, queryset: QuerySet[M] | None = None) -> QuerySet[M]:
        base = self.queryset() if queryset is None else queryset
        return base.filter(self.readable(user))

    def get(self, user: Any, key: Any, *, write: bool = False) -> M:
        """The object, or NotFound when it does not exist or the user may not see it; Forbidden when
        `write` is asked and the user may only read it."""
        try:
            found = self.visible(user).filter(**self.lookup(key)).first()
        except (ValueError, TypeError, ValidationError):
            found = None
        if found is None:
            raise NotFound(_("%(what)s tidak ditemukan") % {"what": _(self.label)})
        if write:
            reason = self.write_refusal(user, found)
            if reason:
                raise Forbidden(reason)
        return found

    def lookup(self, key: Any) -> dict[str, Any]:
        """The filter that finds the object by its key; a subclass may accept a composite key."""
        return {self.key_field: key}

    def can_write(self, user: Any, obj: M) -> bool:
        return self.write_refusal(user, obj) is None


# Every declared object type by kind ("deployment.plan"): the route matrix test and docs read it.
OBJECT_ACCESS: dict[str, ObjectAccess] = {}
