"""The ledger is append-only in the database itself, not by convention.

Migration `0004_ledger_append_only` installs triggers that refuse every UPDATE and DELETE of a row
of `grants_ledgerentry`, whatever path it comes by: `Model.save()` of a stored entry, `.delete()`,
a queryset `.update()`, raw SQL, the `sqlite3`/`psql` shell. Corrections remain reversing entries.

- PostgreSQL: a row trigger raises SQLSTATE 23001 (`restrict_violation`), an IntegrityError. No
  exception: test teardown empties tables with TRUNCATE, which does not fire row triggers.
- SQLite: UPDATE is always refused. DELETE is refused unless the one-row switch table
  `grants_ledger_maintenance` holds a row. Django's test flush on SQLite is `DELETE FROM` every
  table, which a plain trigger would make impossible; so the test teardown (`ledger_allow_flush`,
  called from `sinergi/conftest.py` just before a transactional test's flush) sets the switch, and
  the `post_migrate` signal that flush emits right after clears it again (`ledger_relock`), as
  does every `migrate`. The switch table is not a Django model, so flush never empties it itself.
  Setting it by hand is the one, visible, way to delete ledger rows on SQLite (data repair).

A later migration that alters `LedgerEntry` on SQLite rebuilds the table and would drop the
triggers with it: `tests/test_ledger_append_only.py` checks they exist after all migrations.
"""

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

MAINTENANCE_TABLE = "grants_ledger_maintenance"
TRIGGERS = {
    "sqlite": {"grants_ledger_no_update", "grants_ledger_no_delete"},
    "postgresql": {"grants_ledger_append_only"},
}


def _has_switch(connection: Any) -> bool:
    return connection.vendor == "sqlite" and MAINTENANCE_TABLE in connection.introspection.table_names()


def ledger_allow_flush(using: str = DEFAULT_DB_ALIAS) -> None:
    """Let the next DELETE of ledger rows through on SQLite (a test database's flush)."""
    connection = connections[using]
    if _has_switch(connection):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MAINTENANCE_TABLE} (reason) VALUES (%s)", ["test flush"])


def ledger_relock(using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """Refuse ledger deletes again (a `post_migrate` receiver: runs after migrate and after flush)."""
    connection = connections[using]
    if _has_switch(connection):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {MAINTENANCE_TABLE}")


def installed_triggers(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'grants_ledgerentry'")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'grants_ledgerentry'::regclass AND NOT tgisinternal"
            )
        else:
            return set()
        return {row[0] for row in cursor.fetchall()}
