"""`import-tps` streamed in chunks (issue 17): the same result whatever the chunk size, a refusal in any
chunk leaves nothing written, checks across the whole file span chunks, and PostgreSQL stages by COPY."""

from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sinergi.areas.models import Area, ImportBatch, PollingStation
from sinergi.areas.tps_import import ERROR_LIMIT, import_tps
from sinergi.core.errors import ImportFailed
from sinergi.core.models import HistoryEntry

HEADER = "tps_code,dpt_male,dpt_female,dpt_total,special,lat,lng,address\n"
DESA = "64.02.06.2001"
CHUNK = 3
ROWS = CHUNK * 2 + 1  # two full chunks and one row in a third


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def empty_desa(world):
    PollingStation.objects.filter(desa_id=DESA).delete()
    return DESA


def tps_file(tmp_path: Path, rows: list[str], name: str = "tps.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def row(number: int, male: int = 100, female: int = 90, desa: str = DESA) -> str:
    return f"{desa}.{number:03d},{male},{female},{male + female},0,-0.41,116.98,Balai {number}"


def written() -> dict:
    return {
        "tps": list(PollingStation.objects.order_by("code").values()),
        "areas": list(Area.objects.order_by("code").values("code", "tps_count", "dpt_total")),
        "batches": ImportBatch.objects.count(),
        "history": HistoryEntry.objects.count(),
    }


@pytest.mark.django_db
def test_every_row_of_every_chunk_is_written_and_counted(tmp_path, empty_desa):
    tps_before = PollingStation.objects.filter(code__startswith="64.02.").count()  # the fixture left counters stale
    result = import_tps(tps_file(tmp_path, [row(n) for n in range(1, ROWS + 1)]), chunk_size=CHUNK)
    assert (result.added, result.updated, result.unchanged) == (ROWS, 0, 0)
    assert list(PollingStation.objects.filter(desa_id=DESA).values_list("number", flat=True)) == list(
        range(1, ROWS + 1)
    )
    assert PollingStation.objects.get(code=f"{DESA}.{ROWS:03d}").address == f"Balai {ROWS}"
    assert Area.objects.get(code=DESA).dpt_total == ROWS * 190
    assert Area.objects.get(code="64.02").tps_count == tps_before + ROWS
    assert result.per_kecamatan == {"64.02.06": {"tps": ROWS, "dpt": ROWS * 190}}


@pytest.mark.django_db
def test_a_change_in_the_last_chunk_is_an_update_with_history(tmp_path, empty_desa):
    import_tps(tps_file(tmp_path, [row(n) for n in range(1, ROWS + 1)]), chunk_size=CHUNK)
    changed = [row(n) for n in range(1, ROWS)] + [row(ROWS, male=120)]
    result = import_tps(tps_file(tmp_path, changed, "changed.csv"), chunk_size=CHUNK)
    assert (result.added, result.updated, result.unchanged) == (0, 1, ROWS - 1)
    station = PollingStation.objects.get(code=f"{DESA}.{ROWS:03d}")
    assert (station.dpt_male, station.dpt_total, station.import_batch_id) == (120, 210, result.batch_id)
    assert PollingStation.objects.get(code=f"{DESA}.001").import_batch_id != result.batch_id  # unchanged, not stamped
    entry = HistoryEntry.objects.get(object_key=f"{DESA}.{ROWS:03d}", action="updated")
    assert entry.changes == {"dpt_male": [100, 120], "dpt_total": [190, 210]}
    assert Area.objects.get(code=DESA).dpt_total == ROWS * 190 + 20


@pytest.mark.django_db
def test_an_error_in_the_last_chunk_leaves_nothing_written(tmp_path, empty_desa):
    rows = [row(n) for n in range(1, ROWS)] + [f"{DESA}.{ROWS:03d},100,banyak,,0,,,"]
    before = written()
    with pytest.raises(ImportFailed) as failure:
        import_tps(tps_file(tmp_path, rows), chunk_size=CHUNK)
    assert [(e.line, e.column) for e in failure.value.errors] == [(ROWS + 1, "dpt_female")]
    assert written() == before


@pytest.mark.django_db
def test_an_unknown_desa_in_the_last_chunk_leaves_nothing_written(tmp_path, empty_desa):
    rows = [row(n) for n in range(1, ROWS)] + [row(1, desa="64.02.06.9999")]
    before = written()
    with pytest.raises(ImportFailed) as failure:
        import_tps(tps_file(tmp_path, rows), chunk_size=CHUNK)
    assert [(e.line, e.column) for e in failure.value.errors] == [(ROWS + 1, "tps_code")]
    assert "unknown desa/kelurahan 64.02.06.9999" in failure.value.errors[0].reason
    assert written() == before


@pytest.mark.django_db
def test_duplicates_across_chunks_are_reported_with_every_other_error(tmp_path, empty_desa):
    rows = [row(n) for n in range(1, ROWS)] + [row(2)]  # line 8 repeats line 3, two chunks later
    rows[3] = row(4, desa="64.02.06.9999")  # line 5: unknown desa, in the second chunk
    rows[4] = f"{DESA}.005,500,400,,0,,,"  # line 6: over the election's 600 voters per TPS
    with pytest.raises(ImportFailed) as failure:
        import_tps(tps_file(tmp_path, rows), chunk_size=CHUNK)
    errors = [(e.line, e.column, e.reason) for e in failure.value.errors]
    assert [(line, column) for line, column, _ in errors] == [(5, "tps_code"), (6, "dpt_total"), (8, "tps_code")]
    assert f"duplicate TPS {DESA}.002 (first on line 3)" in errors[2][2]
    assert not PollingStation.objects.filter(desa_id=DESA).exists()


@pytest.mark.django_db
def test_the_chunk_size_changes_the_result_in_nothing(tmp_path, empty_desa):
    path = tps_file(tmp_path, [row(n) for n in range(1, ROWS + 1)])
    with CaptureQueriesContext(connection) as whole:
        import_tps(path, chunk_size=ROWS)
    one_chunk = stations()
    PollingStation.objects.filter(desa_id=DESA).delete()
    with CaptureQueriesContext(connection) as chunked:
        import_tps(path, chunk_size=CHUNK)
    assert stations() == one_chunk
    # SQLite stages each chunk with one executemany; PostgreSQL's COPY is not a logged query.
    assert len(chunked) == len(whole) + (0 if connection.vendor == "postgresql" else 2)


def stations() -> list[dict]:
    return [dict(s, import_batch_id=None) for s in PollingStation.objects.filter(desa_id=DESA).values()]


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgresql_stages_each_chunk_by_copy(tmp_path, empty_desa, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    copies: list[str] = []
    original = psycopg.Cursor.copy

    def recording(cursor, statement, *args, **kwargs):
        copies.append(str(statement))
        return original(cursor, statement, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "copy", recording)
    with CaptureQueriesContext(connection) as queries:
        result = import_tps(tps_file(tmp_path, [row(n) for n in range(1, ROWS + 1)]), chunk_size=CHUNK)
    assert result.added == ROWS
    assert copies == ["COPY pg_temp.tps_import_staging (line, code, desa_code, number, dpt_male, dpt_female, "
                      "dpt_total, is_special, lat, lng, address) FROM STDIN"] * 3  # fmt: skip
    assert not any("INSERT INTO pg_temp" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "column"), [(f"{DESA}.001,banyak,1,,0,,,", "dpt_male"), (f"{DESA}.001,500,400,,0,,,", "dpt_total")]
)
def test_a_file_with_more_errors_than_the_limit_is_refused_with_the_first_ones(tmp_path, empty_desa, bad, column):
    before = written()
    with pytest.raises(ImportFailed) as failure:
        import_tps(tps_file(tmp_path, [bad] * (ERROR_LIMIT + 5)))
    errors = failure.value.errors
    assert len(errors) == ERROR_LIMIT  # read stopped after the chunk that reached the limit
    assert (errors[0].line, errors[-1].line, {e.column for e in errors}) == (2, ERROR_LIMIT + 1, {column})
    assert written() == before
