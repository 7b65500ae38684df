from typing import Any

from django import template

from sinergi.risk.export import answer_text
from sinergi.risk.models import SecurityClass

register = template.Library()


@register.filter
def get_item(mapping: dict | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def answer_of(answers: dict | None, code: str) -> str:
    return answer_text((answers or {}).get(code) or {})


@register.filter
def class_label(value: str | None) -> str:
    """The Indonesian label of a security class code (kurang_rawan -> Kurang rawan)."""
    return str(dict(SecurityClass.choices).get(value or "", value or "–"))
