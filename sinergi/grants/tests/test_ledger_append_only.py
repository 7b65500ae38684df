"""The database itself refuses to change or remove a posted ledger entry, on SQLite and PostgreSQL:
whatever the path (ORM save, delete, queryset update, raw SQL), and normal posting still works.
Corrections remain reversing entries."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from sinergi.grants.integrity import TRIGGERS, installed_triggers, ledger_allow_flush, ledger_relock
from sinergi.grants.models import Agreement, LedgerEntry
from sinergi.grants.tests.factories import agreement_make, post


@pytest.fixture
def entry(users):
    ledger_relock()  # the switch is clear between tests anyway (flush relocks); make it explicit
    agreement = agreement_make(users["finance"], amount="1000000000")
    return post(users["finance"], agreement, "disbursement", "600000000", "d1").entry


def refused(action) -> Exception:
    """Run `action` in a savepoint and return the database's refusal."""
    with pytest.raises((IntegrityError, DatabaseError)) as caught, transaction.atomic():
        action()
    assert "append-only" in str(caught.value)
    return caught.value


def unchanged(entry: LedgerEntry) -> None:
    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert (stored.amount, stored.reference, stored.kind) == (Decimal("600000000"), "REF-d1", "disbursement")


@pytest.mark.django_db
def test_the_triggers_are_installed_after_all_migrations():
    assert TRIGGERS[connection.vendor] <= installed_triggers()


@pytest.mark.django_db
def test_save_of_a_stored_entry_is_refused(entry):
    entry.amount = Decimal("6000000000")
    entry.reference = "SP2D palsu"
    error = refused(entry.save)
    assert isinstance(error, IntegrityError)
    unchanged(entry)


@pytest.mark.django_db
def test_delete_is_refused(entry):
    refused(entry.delete)
    refused(lambda: LedgerEntry.objects.filter(pk=entry.pk).delete())
    unchanged(entry)


@pytest.mark.django_db
def test_queryset_update_is_refused_even_for_one_harmless_column(entry):
    refused(lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal(1)))
    refused(lambda: LedgerEntry.objects.filter(pk=entry.pk).update(note="typo"))
    unchanged(entry)


@pytest.mark.django_db
def test_raw_sql_update_and_delete_are_refused(entry):
    def raw(sql: str):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])

        return run

    refused(raw("UPDATE grants_ledgerentry SET amount = 1 WHERE id = %s"))
    refused(raw("DELETE FROM grants_ledgerentry WHERE id = %s"))
    unchanged(entry)


@pytest.mark.django_db
def test_posting_and_correcting_still_work_after_refusals(users, entry):
    refused(lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal(1)))
    agreement = entry.agreement
    post(users["finance"], agreement, "disbursement", "100", "d2")
    post(users["finance"], agreement, "correction", None, "c1", reverses_seq=2, note="salah ketik")
    post(users["kpu"], agreement, "spending", "1000", "s1")
    stored = Agreement.objects.get(pk=agreement.pk)
    assert stored.entry_count == 4 and stored.disbursed == Decimal("600000000") and stored.spent == Decimal(1000)
    correction = LedgerEntry.objects.select_related("reverses").get(agreement=agreement, seq=3)
    assert correction.reverses is not None and correction.reverses.seq == 2


@pytest.mark.django_db
def test_a_user_who_posted_entries_cannot_be_deleted_behind_the_ledger(users, entry):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        users["finance"].delete()


@pytest.mark.django_db(transaction=True)
def test_a_test_database_flush_empties_the_ledger_only_when_let_through(users):
    agreement = agreement_make(users["finance"], amount="1000")
    post(users["finance"], agreement, "disbursement", "10", "d1")
    if connection.vendor == "sqlite":
        # Django's flush on SQLite is DELETE FROM each table: refused unless the switch is set.
        with pytest.raises(CommandError) as failed:
            call_command("flush", interactive=False, verbosity=0)
        assert isinstance(failed.value.__cause__, IntegrityError)
        assert LedgerEntry.objects.count() == 1
    ledger_allow_flush()
    call_command("flush", interactive=False, verbosity=0)  # PostgreSQL: TRUNCATE, no row triggers
    assert LedgerEntry.objects.count() == 0
    # The flush's post_migrate signal switched the refusal back on.
    assert TRIGGERS[connection.vendor] <= installed_triggers()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM grants_ledger_maintenance")
            assert cursor.fetchone()[0] == 0
