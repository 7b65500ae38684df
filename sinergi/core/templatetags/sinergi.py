"""Display helpers in the reader's language (core/formatting.py): local time of an area, dates,
numbers, rupiah, percentages, and the label of a stored code.

    {{ report.at|local:area.code }}     27-11-2024 09.05 WITA / 11/27/2024 09:05 WITA
    {{ round.window_end|day }}          27 November 2024 / November 27, 2024  (a date, not a moment)
    {{ round.window_end|day:"short" }}  27-11-2024 / 11/27/2024
    {{ totals.tps|num }}                1.447 / 1,447
    {{ turnout|pct }}                   70,98 % / 70.98 %
    {{ amount|rupiah }}                 Rp 103.660.000.000 / Rp 103,660,000,000
    {{ report.channel|label:"channel" }}  Formulir publik / Public form
"""

import json
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import import_module
from typing import Any

from django import template
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from sinergi.core import formatting
from sinergi.core.public import public_url

register = template.Library()

# Kinds of stored codes and the choices that label them. The choices classes are named by their
# dotted path and imported when first used, so core does not import the apps at load time.
CHOICES = {
    "channel": "sinergi.core.models.Channel",
    "level": "sinergi.areas.models.Level",
    "message_channel": "sinergi.messaging.models.Channel",
    "message_status": "sinergi.messaging.models.Status",
    "message_purpose": "sinergi.messaging.models.PURPOSE_LABELS",
    "history_action": "sinergi.core.history.ACTION_LABELS",
    "tps_class": "sinergi.deployment.models.TpsClass",
    "quality_rule": "sinergi.turnout.quality.RULE_LABELS",  # a plain {code: label} mapping
}


@register.filter
def local(moment: datetime | None, area_code: str) -> str:
    """A moment in the area's zone with its name, in the reader's short date notation."""
    return formatting.datetime(moment, area_code or formatting.NATION, short=True)


@register.filter
def local_time(moment: datetime | None, area_code: str) -> str:
    """Only the clock: 13.00 WITA / 13:00 WITA."""
    return formatting.time(moment, area_code or formatting.NATION)


@register.filter
def day(value: date | None, style: str = "") -> str:
    """A calendar date (a DateField): long by default, `"short"` for tables."""
    if isinstance(value, datetime):
        raise TypeError("a moment is shown with |local:area_code, in the area's zone")
    return formatting.date(value, short=style == "short")


@register.filter
def num(value: Decimal | float | int | None, decimals: int | None = None) -> str:
    """A count or measure with the reader's separators (1.447; 1,5 / 1,447; 1.5); without `decimals`
    a fraction keeps up to two places. Anything that is not a number is shown as it is."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | Decimal)):
        return str(value)
    if decimals is None:
        decimals = 0 if value is None or isinstance(value, int) else _places(value)
    return formatting.number(value, int(decimals))


def _places(value: float | Decimal) -> int:
    """Up to two decimals, without trailing zeros: 71,5 rather than 71,50."""
    exponent = Decimal(str(value)).quantize(Decimal("0.01")).normalize().as_tuple().exponent
    return max(0, -int(exponent))


@register.filter
def rupiah(amount: Decimal | int | None) -> str:
    return formatting.rupiah(amount)


@register.filter
def pct(value: Decimal | float | None, places: int = 2) -> str:
    return formatting.percent(value, int(places))


@register.filter
def label(code: Any, kind: str) -> str:
    """The reader's label of a stored code: a choice (`CHOICES`) or, for `module`, the app's name."""
    if code in (None, ""):
        return formatting.MISSING
    if kind == "module":
        return _module_label(str(code))
    return str(_labels(kind).get(code, code))


@register.simple_tag
def labels_json(kind: str) -> str:
    """{code: label} of a kind in the reader's language, for a script's data- attribute."""
    return json.dumps({str(code): str(text) for code, text in _labels(kind).items()}, ensure_ascii=False)


@cache
def _labels(kind: str) -> dict[Any, Any]:
    found = import_string(CHOICES[kind])
    return dict(found.choices) if isinstance(found, type) and issubclass(found, models.Choices) else dict(found)


def _module_label(module: str) -> str:
    """The label a module gives itself for the situation room (`ABOUT` in its situation.py)."""
    try:
        config = apps.get_app_config(module)
    except LookupError:
        return module
    about = getattr(_situation_of(config.name), "ABOUT", None)
    return str(about.label) if about is not None else str(config.verbose_name)


@cache
def _situation_of(app: str) -> Any:
    try:
        return import_module(f"{app}.situation")
    except ModuleNotFoundError:
        return None


@register.simple_tag
def public_link(viewname: str, *args: Any, query: str = "") -> str:
    """`{% public_link 'situation:public' code query="pemilihan=x" %}`: the public page's URL in the
    reader's language."""
    path = reverse(viewname, args=args) + (f"?{query}" if query else "")
    return public_url(path, get_language() or "")
