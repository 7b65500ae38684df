"""Route guards: every page and API operation declares who may call it, and the guard enforces it
before the view runs.

- `PUBLIC`: anyone, signed in or not (public pages, the SMS webhook, login).
- `SIGNED_IN`: any signed-in user; the view lists only what the app's `ObjectAccess.visible` returns.
- `Guard(access, "param")`: the URL names one object; the guard fetches it through the access rule
  (404 when the user may not see it, 403 when a write is asked of a reader) and the view takes it
  with `guarded(request, access)`. Unsafe methods (POST, PUT, PATCH, DELETE) ask for write unless
  `write=` says otherwise (a GET export that only reads, a POST that only reads).
- `accounts.guards.WritesSomewhere(policy)`: a create whose area is in the body (it needs a policy, so it
  lives with the policies).

`page(rule)` decorates a Django view, `operation(rule)` a django-ninja operation (below the
`@router.get` line). A route without a rule fails `core/tests/test_route_matrix.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.utils import contribute_operation_callback

from sinergi.core.access import M, ObjectAccess
from sinergi.core.errors import Forbidden, NotFound

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RULE_ATTR = "sinergi_rule"


class Rule:
    """What a route needs. `public` routes let anonymous users in; the others need a session or token."""

    public = False

    def describe(self) -> str:
        return "public" if self.public else "signed in"

    def resolve(self, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        """Raise NotFound/Forbidden when the user may not call the route; stash any object it names."""

    def in_menu(self, user: Any) -> bool:
        """Whether a menu link to this route is shown to the user. A rule that refuses whole roles
        and can tell without a query says so here, so nobody is shown a link that answers 403."""
        return True


class Public(Rule):
    public = True


PUBLIC = Public()
SIGNED_IN = Rule()


@dataclass(frozen=True)
class Guard(Rule):
    access: ObjectAccess
    param: str
    write: bool | None = None

    def describe(self) -> str:
        mode = {None: "read, write on unsafe methods", True: "write", False: "read"}[self.write]
        return f"{self.access.kind} by {self.param} ({mode})"

    def wants_write(self, method: str) -> bool:
        return self.write if self.write is not None else method not in SAFE_METHODS

    def resolve(self, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        obj = self.access.get(request.user, kwargs[self.param], write=self.wants_write(request.method or "GET"))
        request.sinergi_guarded = (self.access.kind, obj)  # type: ignore[attr-defined]


def guarded(request: HttpRequest, access: ObjectAccess[M]) -> M:
    """The object the route's guard fetched for this request."""
    kind, obj = getattr(request, "sinergi_guarded", (None, None))
    if kind != access.kind:
        raise RuntimeError(f"route is not guarded by {access.kind}")
    return cast(M, obj)


def rule_of(view: Any) -> Rule | None:
    return getattr(view, RULE_ATTR, None)


def page(rule: Rule) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Guard a Django view: anonymous users go to the login page unless the rule is public."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not rule.public and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                rule.resolve(request, kwargs)
            except NotFound as exc:
                raise Http404(exc.detail) from exc
            except Forbidden as exc:
                return render(request, "403.html", {"detail": exc.detail}, status=403)
            return view(request, *args, **kwargs)

        setattr(wrapper, RULE_ATTR, rule)
        return wrapper

    return decorate


def operation(rule: Rule) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Guard a django-ninja operation: the rule runs after authentication and before the body is read,
    so a reader's POST answers 403, not a validation error about a body it may not send anyway."""

    def attach(run: Any) -> Any:
        # Ninja clones an operation when it binds a router to an API and re-applies these "run
        # decorators" to each clone, so the rule is installed on the operation that really serves.
        op = run.__self__
        authenticate_and_throttle = op._run_checks

        def checks(request: HttpRequest) -> HttpResponse | None:
            refused = authenticate_and_throttle(request)
            if refused is not None:
                return refused
            try:
                rule.resolve(request, request.resolver_match.kwargs if request.resolver_match else {})
            except Exception as exc:  # the API's handlers turn it into JSON
                return op.api.on_exception(request, exc)
            return None

        op._run_checks = checks
        setattr(op, RULE_ATTR, rule)
        return run

    def contribute(op: Any) -> None:
        op._run_decorators = [*getattr(op, "_run_decorators", []), attach]
        attach(op.run)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        contribute_operation_callback(func, contribute)
        setattr(func, RULE_ATTR, rule)
        return func

    return decorate
