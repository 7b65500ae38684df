"""What the module demos share: output, the demo users, and the order in which apps load."""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.management.base import OutputWrapper


@dataclass
class DemoContext:
    stdout: OutputWrapper
    users: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, what they are)

    def say(self, text: str) -> None:
        self.stdout.write(text)


def demo_loaders() -> list[tuple[str, Any]]:
    """Each app's `demo.load(context)` in INSTALLED order (areas and accounts first)."""
    loaders = []
    for app in settings.SINERGI_APPS:
        if find_spec(f"{app}.demo") is not None:
            loaders.append((app, import_module(f"{app}.demo").load))
    return loaders
