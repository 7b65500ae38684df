from typing import Any

from django import template

from sinergi.risk.models import SecurityClass

register = template.Library()


@register.filter
def get_item(mapping: dict | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def answer_of(answers: dict | None, code: str) -> str:
    """A checklist answer as shown in tables: the count if one was asked, else ya/tidak."""
    answer = (answers or {}).get(code) or {}
    if answer.get("count") is not None:
        return str(answer["count"])
    return "ya" if answer.get("yes") else "tidak"


@register.filter
def class_label(value: str | None) -> str:
    """The Indonesian label of a security class code (kurang_rawan -> Kurang rawan)."""
    return str(dict(SecurityClass.choices).get(value or "", value or "–"))
