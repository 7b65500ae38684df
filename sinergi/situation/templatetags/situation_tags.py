from typing import Any

from django import template

from sinergi.core import formatting

register = template.Library()


@register.filter
def metric_value(value: Any, unit: str = "") -> str:
    """A metric in the reader's notation: 1.447 TPS, 71,5 %, Rp 103.660.000.000 (1,447 TPS, 71.5 % in English)."""
    return formatting.quantity(value, unit)


@register.filter
def get_value(mapping: dict, key: str) -> str:
    found = mapping.get(key) if isinstance(mapping, dict) else None
    return metric_value(found)


@register.filter
def label_of(labels: dict, module: str) -> str:
    """A module's label from `Room.module_labels`; its name only if it declared none."""
    return labels.get(module, module) if isinstance(labels, dict) else module
