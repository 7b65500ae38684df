"""The field app's static files: what the service worker precaches, and their version (a content hash)."""

import hashlib
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.templatetags.static import static

# Everything the shell needs to open with no network; sw.js is served by a view (it must sit under /lapangan/).
SHELL_ASSETS = ("field/app.js", "field/field.css", "field/icon-192.png", "field/icon-512.png")


def asset_urls() -> list[str]:
    return [static(name) for name in SHELL_ASSETS]


@lru_cache(maxsize=1)
def assets_version(extra: str = "") -> str:
    """A hash of the shell's files and the service worker's own template: a new deploy is a new cache."""
    digest = hashlib.sha256(extra.encode())
    for name in SHELL_ASSETS:
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:  # type: ignore[arg-type]
                digest.update(handle.read())
    return digest.hexdigest()[:12]
