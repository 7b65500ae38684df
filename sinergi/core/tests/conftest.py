import io
from collections.abc import Iterator

import pytest
from django.core.management.base import OutputWrapper
from django.db import connection, transaction
from django.test import override_settings

from sinergi.core.demo_context import DemoContext, demo_loaders


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[DemoContext]:
    """The whole Kukar demo, loaded once for the module inside a transaction that is rolled back."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            context = DemoContext(stdout=OutputWrapper(io.StringIO()))
            for _, load in demo_loaders():
                load(context)
            connection.check_constraints()
            yield context
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
