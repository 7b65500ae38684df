"""The ledger refuses UPDATE and DELETE in the database itself (see sinergi/grants/integrity.py).

Per vendor: PostgreSQL gets a PL/pgSQL row trigger raising SQLSTATE 23001 (restrict_violation);
SQLite gets two triggers raising ABORT (SQLITE_CONSTRAINT), the DELETE one switchable by a row in
`grants_ledger_maintenance` so that a test database's flush (DELETE FROM on SQLite) still works.
`created_by` becomes PROTECT: SET_NULL would be an UPDATE of posted entries when a user is deleted.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_INSTALL = [
    "CREATE TABLE IF NOT EXISTS grants_ledger_maintenance (reason TEXT NOT NULL)",
    """CREATE TRIGGER grants_ledger_no_update BEFORE UPDATE ON grants_ledgerentry
    BEGIN
        SELECT RAISE(ABORT, 'grants ledger is append-only: UPDATE of a posted entry refused (post a correction)');
    END""",
    """CREATE TRIGGER grants_ledger_no_delete BEFORE DELETE ON grants_ledgerentry
    WHEN NOT EXISTS (SELECT 1 FROM grants_ledger_maintenance)
    BEGIN
        SELECT RAISE(ABORT, 'grants ledger is append-only: DELETE of a posted entry refused (post a correction)');
    END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS grants_ledger_no_delete",
    "DROP TRIGGER IF EXISTS grants_ledger_no_update",
    "DROP TABLE IF EXISTS grants_ledger_maintenance",
]
POSTGRES_INSTALL = [
    """CREATE OR REPLACE FUNCTION grants_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'grants ledger is append-only: % of posted entry % refused (post a correction)',
            TG_OP, OLD.id USING ERRCODE = 'restrict_violation';
    END;
    $$""",
    """CREATE TRIGGER grants_ledger_append_only BEFORE UPDATE OR DELETE ON grants_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION grants_ledger_append_only()""",
]
POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS grants_ledger_append_only ON grants_ledgerentry",
    "DROP FUNCTION IF EXISTS grants_ledger_append_only()",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)  # no params: '%' in PL/pgSQL stays as written

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("grants", "0003_money_checks_in_sen"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="ledgerentry",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL}),
            _run({"sqlite": SQLITE_REMOVE, "postgresql": POSTGRES_REMOVE}),
        ),
    ]
