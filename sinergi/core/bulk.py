"""A plain multi-row INSERT for bulk imports: the ORM's bulk_create spends most of a national
import building SQL per object; the importers hand over validated plain values instead."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from sinergi.core.batching import chunked


def bulk_insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, chunk: int = 5000) -> int:
    """Insert rows of DB-ready values for `fields` (model field names) and return how many."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    inserted = 0
    with connection.cursor() as cursor:
        for batch in chunked(rows, chunk):
            cursor.executemany(sql, batch)
            inserted += len(batch)
    return inserted


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    column = getattr(field, "column", None)
    if not column:
        raise ValueError(f"{model.__name__}.{name} is not a concrete column")
    return column
