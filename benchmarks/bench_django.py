"""What every benchmark script does first: point Django at a database of its own and migrate it.

Benchmarks run as scripts (`python benchmarks/<name>.py`), so this folder is on `sys.path` and the
project root is added here.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django(database_url: str, **environment: str) -> None:
    """Configure Django for `database_url` (demo settings unless `environment` says otherwise) and migrate."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.update(environment)
    os.environ.setdefault("SINERGI_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def per_call(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds per call over five rounds of `repeat` calls."""
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        rounds.append((time.perf_counter() - start) / repeat)
    return statistics.median(rounds)


def queries(fn: Callable[[], object]) -> int:
    """The number of queries one call of `fn` makes."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # timing loops fill the debug log, which holds 9000 queries at most
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)
