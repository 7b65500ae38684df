"""Discovery of the modules' `situation.py` providers (contract: `sinergi.core.situation`).

A module without a `situation.py` is simply absent. A provider that fails to import, raises, or
answers with the wrong shape is logged and left out, so one broken module never breaks the room.
Inside an outer transaction each call runs in a savepoint, so that a database error inside a
provider does not poison that transaction on PostgreSQL.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from sinergi.core.situation import AttentionItem, MapLayer, Metric, Module, PublicItem, Verdict

log = logging.getLogger(__name__)

# Apps that are plumbing or the room itself, never providers.
NOT_PROVIDERS = {"sinergi.core", "sinergi.areas", "sinergi.accounts", "sinergi.situation"}
RESULT_TYPES: dict[str, type] = {
    "readiness": Metric,
    "verdict": Verdict,
    "attention": AttentionItem,
    "map_layers": MapLayer,
    "public_summary": Metric,
    "public_items": PublicItem,
    "clock": dt.datetime,
}
FUNCTIONS = tuple(RESULT_TYPES)
# Functions that answer one item (or None) rather than a list.
SINGLE = {"verdict", "clock"}


@dataclass
class Provider:
    name: str  # the app label, e.g. "risk"
    source: Any  # a module or any object with some of FUNCTIONS

    def function(self, name: str) -> Callable[..., Any] | None:
        found = getattr(self.source, name, None)
        return found if callable(found) else None

    @property
    def about(self) -> Module:
        """The module's own description (`ABOUT`); a provider without one is shown by its name, last."""
        found = getattr(self.source, "ABOUT", None)
        return found if isinstance(found, Module) else Module(label=self.name, order=1000)

    @property
    def label(self) -> str:
        return str(self.about.label)  # translated now, in the reader's language


@dataclass
class Answers:
    """What the providers said for one function, plus the modules that failed."""

    by_module: dict[str, list[Any]] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)

    def flat(self) -> list[Any]:
        return [item for items in self.by_module.values() for item in items]


_discovered: list[Provider] | None = None
_registered: dict[str, Provider] = {}
_replaced: list[Provider] | None = None
_import_failures: list[str] = []


def discover() -> list[Provider]:
    global _discovered
    if _discovered is None:
        found = []
        for app in settings.SINERGI_APPS:
            if app in NOT_PROVIDERS:
                continue
            provider = _load(app)
            if provider is not None:
                found.append(provider)
        _discovered = found
    return _discovered


def _load(app: str) -> Provider | None:
    try:
        if find_spec(f"{app}.situation") is None:
            return None
        return Provider(app.rsplit(".", 1)[-1], import_module(f"{app}.situation"))
    except Exception:
        log.exception("situation provider of %s failed to import; left out", app)
        _import_failures.append(app.rsplit(".", 1)[-1])
        return None


def providers() -> list[Provider]:
    """Every provider, in the order the modules declare (`ABOUT.order`, then name)."""
    base = _replaced if _replaced is not None else discover()
    names = {p.name for p in base}
    found = [*base, *(p for name, p in _registered.items() if name not in names)]
    return sorted(found, key=lambda p: (p.about.order, p.name))


def provider(name: str) -> Provider | None:
    return next((p for p in providers() if p.name == name), None)


def register(name: str, source: Any) -> None:
    """Add a provider by hand (tests, plug-ins outside SINERGI_APPS)."""
    _registered[name] = Provider(name, source)


def unregister(name: str) -> None:
    _registered.pop(name, None)


@contextmanager
def only(sources: dict[str, Any]) -> Iterator[None]:
    """Use exactly these providers inside the block (tests of the room itself)."""
    global _replaced
    saved = _replaced
    _replaced = [Provider(name, source) for name, source in sources.items()]
    try:
        yield
    finally:
        _replaced = saved


def ask(function: str, *args: Any) -> Answers:
    """Call `function` on every provider that has it; failures are logged and listed."""
    answers = Answers(failed=list(_import_failures) if _replaced is None else [])
    wanted = RESULT_TYPES[function]
    for provider in providers():
        call = provider.function(function)
        if call is None:
            continue
        # A savepoint only matters inside an outer transaction (a failed query would poison it).
        guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with guard:
                answer = call(*args)
                items = ([] if answer is None else [answer]) if function in SINGLE else list(answer)
        except Exception:
            log.exception("situation provider %s.%s failed; left out", provider.name, function)
            answers.failed.append(provider.name)
            continue
        good = [item for item in items if isinstance(item, wanted)]
        if len(good) != len(items):
            log.error(
                "situation provider %s.%s returned items that are not %s", provider.name, function, wanted.__name__
            )
        answers.by_module[provider.name] = good
    return answers
