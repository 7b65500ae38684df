from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

# SQLite caps bound parameters per statement (32,766 by default); stay well below it.
IN_CLAUSE_CHUNK = 5000


def chunked(values: Iterable[T], size: int = IN_CLAUSE_CHUNK) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk
