from typing import Any

from django import template

from sinergi.situation.documents import value_text

register = template.Library()


@register.filter
def metric_value(value: Any, unit: str = "") -> str:
    """A metric in Indonesian notation: 1.447 TPS, 71,5 %, Rp 103.660.000.000."""
    return value_text(value, unit)


@register.filter
def get_value(mapping: dict, key: str) -> str:
    found = mapping.get(key) if isinstance(mapping, dict) else None
    return value_text(found)


@register.filter
def label_of(labels: dict, module: str) -> str:
    """A module's label from `Room.module_labels`; its name only if it declared none."""
    return labels.get(module, module) if isinstance(labels, dict) else module
