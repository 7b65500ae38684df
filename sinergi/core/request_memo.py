"""Values remembered for one request only: a page that asks the same question several times (the
replay clock, the tallies' freshness, a module's room state) reads the database once.

The memo is an empty dict when a request starts and None when it ends, so outside a request (commands,
the worker, tests calling functions directly) every read goes to the database."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.signals import request_finished, request_started


class RequestMemo:
    def __init__(self, name: str) -> None:
        self._local = threading.local()
        request_started.connect(self._begin, dispatch_uid=f"{name}.begins", weak=False)
        request_finished.connect(self._end, dispatch_uid=f"{name}.ends", weak=False)

    def current(self) -> dict[Any, Any] | None:
        """This request's values, or None outside a request."""
        return getattr(self._local, "values", None)

    @contextmanager
    def fresh(self) -> Iterator[dict[Any, Any]]:
        """An empty memo for the block (e.g. one room build in a job), the outer one back afterwards."""
        saved = self.current()
        self._local.values = {}
        try:
            yield self._local.values
        finally:
            self._local.values = saved

    def _begin(self, **_: object) -> None:
        self._local.values = {}

    def _end(self, **_: object) -> None:
        self._local.values = None
