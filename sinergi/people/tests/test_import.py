"""The roster import: all or nothing, refusals by line and column, re-import is a no-op, a changed
row updates the person it matches by phone, several phones per person, bulk writes."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sinergi.accounts.models import Membership, User
from sinergi.accounts.roles import Role
from sinergi.core.errors import ImportFailed
from sinergi.core.models import HistoryEntry
from sinergi.people.models import Person, Phone
from sinergi.people.roster_import import import_people
from sinergi.people.selectors import contact_phones, own_tps, people_in
from sinergi.people.tests.conftest import HEADER, SUKARAME, kpps_row

pytestmark = pytest.mark.django_db


def _errors(path, **kwargs) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportFailed) as caught:
        import_people(path, **kwargs)
    return [(e.line, e.column, e.reason) for e in caught.value.errors]


def test_a_roster_makes_users_people_phones_and_memberships(bodies, csv_file):
    path = csv_file(
        HEADER
        + kpps_row("Siti Rahmawati", "0812-1111-0001", 1, email="siti@example.org")
        + kpps_row("Budi Santoso", "+62 812 1111 0002", 2)
    )
    result = import_people(path)
    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    siti = User.objects.get(first_name="Siti")
    assert siti.last_name == "Rahmawati" and siti.email == "siti@example.org"
    assert siti.username == "siti.rahmawati.0001"
    assert not siti.has_usable_password()
    assert siti.person.tps_id == f"{SUKARAME}.001" and siti.person.position == "Ketua KPPS TPS 001"
    assert contact_phones(siti) == ["+6281211110001"]
    tps = own_tps(siti)
    assert tps is not None and tps.code == f"{SUKARAME}.001"
    membership = Membership.objects.get(user=siti)
    assert (membership.role, membership.agency.code, membership.area_id) == (
        Role.KPU_OPERATOR,
        "kpps-sukarame",
        SUKARAME,
    )
    assert set(people_in("64.02.06", agency_kinds=["kpps"]).values_list("first_name", flat=True)) == {"Siti", "Budi"}
    assert not people_in("64.02.05").exists()
    assert not people_in("64.02.06", roles=[Role.FIELD_OFFICER]).exists()


def test_every_bad_row_is_named_by_line_and_column_and_nothing_is_stored(bodies, csv_file):
    path = csv_file(
        HEADER
        + kpps_row("Siti", "0812-1111-0001", 1)
        + kpps_row("", "0812-1111-0002", 2)  # line 3: no name
        + kpps_row("Budi", "021-555-1234", 3)  # line 4: a landline
        + kpps_row("Ani", "0812-1111-0004", 1, role="koordinator")  # line 5: a role a roster may not give
        + kpps_row("Dedi", "0812-1111-0005", 1, agency="kpps-nowhere")  # line 6: unknown agency
        + kpps_row("Eka", "0812-1111-0006", 1, area_code="64.02.06.9999", tps_code="")  # line 7: unknown area
        + kpps_row("Fajar", "0812-1111-0007", 1, tps_code="64.02.06.2001.001")  # line 8: TPS of another desa
        + kpps_row("Gita", "0812-1111-0001", 2)  # line 9: a number already on line 2
        + kpps_row("Hadi", "0812-1111-0009", 2, email="not-an-address")  # line 10
        + kpps_row("Ika", "0812-1111-0010", 2, agency="pkd-sukarame")  # line 11: KPU role with a Bawaslu body
        + kpps_row("Joko", "0812-1111-0011", 2, agency="kpps-rawa-makmur")  # line 12: area outside the body's
    )
    errors = _errors(path)
    where = {(line, column) for line, column, _ in errors}
    assert where == {
        (3, "name"),
        (4, "phone"),
        (5, "role"),
        (6, "agency"),
        (7, "area_code"),
        (8, "tps_code"),
        (9, "phone"),
        (10, "email"),
        (11, "role"),
        (12, "area_code"),
    }
    reasons = {(line, column): reason for line, column, reason in errors}
    assert "bukan nomor seluler" in reasons[(4, "phone")]
    assert "sudah ada di baris 2" in reasons[(9, "phone")]
    assert "admin" in reasons[(5, "role")]
    assert not Person.objects.exists() and not User.objects.filter(first_name="Siti").exists()


def test_a_nik_column_is_refused_and_so_is_any_unknown_column(bodies, csv_file):
    path = csv_file("name,phone,role,agency,area_code,NIK,hobby\n" + "Siti,0812,operator_kpu,kpps-sukarame,x,1,2\n")
    errors = _errors(path)
    assert [(line, column) for line, column, _ in errors] == [(1, "NIK"), (1, "hobby")]
    assert "NIK" in errors[0][2] and "tidak dikenal" in errors[1][2]


def test_a_nik_in_a_value_is_refused(bodies, csv_file):
    path = csv_file(HEADER + kpps_row("Siti", "0812-1111-0001", 1, position="Ketua 6402061234567890"))
    assert [(line, column) for line, column, _ in _errors(path)] == [(2, "position")]


def test_importing_the_same_file_again_changes_nothing(bodies, csv_file):
    text = (
        HEADER + kpps_row("Siti Rahmawati", "0812-1111-0001", 1) + kpps_row("Budi", "0812-1111-0002; 0813 2222 0002", 2)
    )
    import_people(csv_file(text))
    before = (
        list(User.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(Phone.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        HistoryEntry.objects.count(),
    )
    again = import_people(csv_file(text))
    assert (again.added, again.updated, again.unchanged, again.changed) == (0, 0, 2, False)
    after = (
        list(User.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(Phone.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        HistoryEntry.objects.count(),
    )
    assert after == before


def test_a_changed_row_updates_the_person_matched_by_phone(bodies, csv_file, roster_users):
    import_people(csv_file(HEADER + kpps_row("Siti Rahmawati", "0812-1111-0001", 1)))
    siti = User.objects.get(phone="+6281211110001")
    # Moved to Bukit Biru's KPPS, TPS 2 there, name corrected, a second phone added (written another way).
    changed = kpps_row(
        "Siti Rahmawati Putri",
        "+62 812-1111-0001; 0857 0000 1234",
        2,
        agency="kpps-bukit-biru",
        area_code="64.02.06.2001",
        tps_code="64.02.06.2001.002",
    )
    result = import_people(csv_file(HEADER + changed), actor=roster_users["coordinator"])
    assert (result.added, result.updated) == (0, 1)
    assert result.changes[0][2]["area"] == [SUKARAME, "64.02.06.2001"]
    siti.refresh_from_db()
    assert User.objects.count() == len(roster_users) + 1  # no second account
    assert siti.get_full_name() == "Siti Rahmawati Putri" and siti.username == "siti.rahmawati.0001"
    assert siti.person.tps_id == "64.02.06.2001.002"
    assert list(Membership.objects.filter(user=siti).values_list("agency__code", "area_id", "title")) == [
        ("kpps-bukit-biru", "64.02.06.2001", "Ketua KPPS TPS 002")
    ]
    assert sorted(contact_phones(siti)) == ["+6281211110001", "+6285700001234"]
    entry = HistoryEntry.objects.get(object_type="people.person", action="updated")
    assert entry.actor == roster_users["coordinator"] and "tps" in entry.changes


def test_several_phones_the_last_verified_first(bodies, csv_file):
    import_people(csv_file(HEADER + kpps_row("Siti", "0812-1111-0001; 0813-2222-0001; 0857-3333-0001", 1)))
    siti = User.objects.get(first_name="Siti")
    # Unverified: in the order of the file.
    assert contact_phones(siti) == ["+6281211110001", "+6281322220001", "+6285733330001"]
    from django.utils import timezone

    Phone.objects.filter(e164="+6285733330001").update(verified_at=timezone.now())
    assert contact_phones(siti)[0] == "+6285733330001"
    Phone.objects.filter(e164="+6281322220001").update(verified_at=timezone.now())
    assert contact_phones(siti)[:2] == ["+6281322220001", "+6285733330001"]


def test_phones_of_two_different_people_on_one_row_are_refused(bodies, csv_file):
    import_people(csv_file(HEADER + kpps_row("Siti", "0812-1111-0001", 1) + kpps_row("Budi", "0812-1111-0002", 2)))
    errors = _errors(csv_file(HEADER + kpps_row("Siti", "0812-1111-0001; 0812-1111-0002", 1)))
    assert [(line, column) for line, column, _ in errors] == [(2, "phone")]


def test_an_importer_is_held_to_their_own_sector_and_area(bodies, csv_file, roster_users):
    pkd = kpps_row("Ani", "0812-1111-0003", 1, role="petugas_lapangan", agency="pkd-sukarame", tps_code="")
    path = csv_file(HEADER + kpps_row("Siti", "0812-1111-0001", 1) + pkd)
    # KPU manages KPU-sector bodies only: the PKD row is refused, and the file with it.
    assert [(line, col) for line, col, _ in _errors(path, actor=roster_users["kpu"])] == [(3, "agency")]
    assert [(line, col) for line, col, _ in _errors(path, actor=roster_users["bawaslu"])] == [(2, "agency")]
    outsider = _errors(path, actor=roster_users["outsider"])
    assert {line for line, _c, _r in outsider} == {2, 3}
    result = import_people(path, actor=roster_users["coordinator"])
    assert result.added == 2
    # A Bawaslu analyst cannot take over a KPU person by listing their phone.
    takeover = kpps_row("Siti", "0812-1111-0001", 1, role="petugas_lapangan", agency="pkd-sukarame", tps_code="")
    errors = _errors(csv_file(HEADER + takeover), actor=roster_users["bawaslu"])
    assert [(line, col) for line, col, _ in errors] == [(2, "phone")]


def test_a_dry_run_stores_nothing(bodies, csv_file):
    result = import_people(csv_file(HEADER + kpps_row("Siti", "0812-1111-0001", 1)), dry_run=True)
    assert result.added == 1 and not Person.objects.exists() and not User.objects.filter(first_name="Siti").exists()


def test_usernames_stay_unique_when_names_and_last_digits_meet(bodies, csv_file):
    rows = kpps_row("Siti", "0812-1111-0001", 1) + kpps_row("Siti", "0813-2222-0001", 2)
    import_people(csv_file(HEADER + rows))
    assert sorted(User.objects.filter(first_name="Siti").values_list("username", flat=True)) == [
        "siti.0001",
        "siti.81322220001",
    ]


def test_the_import_is_bulk_not_per_row(bodies, csv_file, django_assert_max_num_queries):
    """The number of queries does not grow with the rows: 40 rows cost what 4 rows cost."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def rows(start: int, count: int) -> str:
        return "".join(kpps_row(f"Orang {i}", f"0812-9{i:07d}", 1 + i % 3) for i in range(start, start + count))

    before = (Person.objects.count(), Phone.objects.count())
    with CaptureQueriesContext(connection) as few:
        import_people(csv_file(HEADER + rows(0, 4)))
    with CaptureQueriesContext(connection) as many:
        result = import_people(csv_file(HEADER + rows(100, 40)))
    assert len(many) == len(few)
    # ...and every row is stored, with its phone.
    assert result.added == 40
    assert (Person.objects.count(), Phone.objects.count()) == (before[0] + 44, before[1] + 44)


def test_the_command_prints_every_bad_row_and_exits_non_zero(bodies, csv_file, capsys):
    bad = csv_file(HEADER + kpps_row("Siti", "021 555", 1) + kpps_row("", "0812-1111-0002", 2))
    with pytest.raises(CommandError, match="Basis data tidak berubah"):
        call_command("import_people", str(bad), "--no-activation")
    err = capsys.readouterr().err
    assert "baris 2, kolom phone" in err and "baris 3, kolom name" in err
    good = csv_file(HEADER + kpps_row("Siti", "0812-1111-0001", 1))
    call_command("import_people", str(good), "--no-activation")
    assert "1 ditambahkan" in capsys.readouterr().out
    call_command("import_people", str(good), "--no-activation")
    assert "Tidak ada perubahan" in capsys.readouterr().out
