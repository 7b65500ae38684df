"""The navigation bar, filled by the apps: an AppConfig may declare `nav = [NavItem(...)]`."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    order: int = 50


def navigation_items() -> list[tuple[str, str]]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        items.extend(getattr(config, "nav", []))
    resolved = []
    for item in sorted(items, key=lambda i: i.order):
        try:
            resolved.append((str(item.label), reverse(item.url_name)))
        except NoReverseMatch:
            continue
    return resolved
