"""Message templates as data (`MessageTemplate`, editable in the admin, seeded by a data migration).

`render(key, context, language)` picks the recipient's language, falls back to Indonesian, and fills
`{name}` placeholders; a placeholder the context lacks is a `KeyError` naming it (a template edited
in the admin with a typo fails loudly in the sender's tests, not as a half-filled SMS).
"""

import string
from collections.abc import Callable
from typing import Any

from sinergi.messaging.models import MessageTemplate

DEFAULT_LANGUAGE = "id"


class UnknownTemplate(LookupError):
    pass


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _language(language: str) -> str:
    return (language or DEFAULT_LANGUAGE).split("-")[0].lower()


def _fill(key: str, rows: dict[str, str], context: dict[str, Any], language: str) -> str:
    text = rows.get(language) or rows.get(DEFAULT_LANGUAGE)
    if text is None:
        raise UnknownTemplate(f"no message template {key!r}")
    missing = placeholders(text) - set(context)
    if missing:
        raise KeyError(f"template {key!r} needs {', '.join(sorted(missing))}")
    return text.format_map(context)


def render(key: str, context: dict[str, Any], language: str = DEFAULT_LANGUAGE) -> str:
    language = _language(language)
    rows = {
        t.language: t.text for t in MessageTemplate.objects.filter(key=key, language__in={language, DEFAULT_LANGUAGE})
    }
    return _fill(key, rows, context, language)


def renderer(key: str) -> Callable[[dict[str, Any], str], str]:
    """`render` for many messages of one template: every language of it read in one query, then filled in
    memory (same language choice and fallback, same `KeyError` for a missing placeholder)."""
    rows = dict(MessageTemplate.objects.filter(key=key).values_list("language", "text"))

    def fill(context: dict[str, Any], language: str = DEFAULT_LANGUAGE) -> str:
        return _fill(key, rows, context, _language(language))

    return fill
