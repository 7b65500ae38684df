from decimal import Decimal
from typing import Any

from django import template

from sinergi.core import formatting

register = template.Library()


@register.filter
def metric_value(value: Any, unit: str = "") -> str:
    """A metric in the reader's notation: 1.447 TPS, 71,5 %, Rp 103.660.000.000 (1,447 TPS, 71.5 % in English)."""
    if value is None:
        return formatting.MISSING
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        text = str(value)
    elif unit == "Rp":
        return formatting.rupiah(Decimal(str(value)))
    else:
        text = formatting.number(value, _places(value))
    return f"{text} {unit}".strip()


@register.filter
def get_value(mapping: dict, key: str) -> str:
    found = mapping.get(key) if isinstance(mapping, dict) else None
    return metric_value(found)


def _places(value: int | float | Decimal) -> int:
    """Up to two decimals, without trailing zeros: 71,5 rather than 71,50; whole numbers none."""
    if isinstance(value, int):
        return 0
    rounded = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    return max(0, -rounded.as_tuple().exponent)  # type: ignore[operator]


@register.filter
def label_of(labels: dict, module: str) -> str:
    """A module's label from `Room.module_labels`; its name only if it declared none."""
    return labels.get(module, module) if isinstance(labels, dict) else module
