from typing import Any

from django import template

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
