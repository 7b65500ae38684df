from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sinergi.areas.models import Area, PollingStation
from sinergi.areas.tps_import import import_tps
from sinergi.core.errors import ImportFailed
from sinergi.core.models import HistoryEntry


@pytest.fixture(autouse=True)
def english():
    """The import messages are checked in English: the catalogue's translation of the Indonesian source."""
    with translation.override("en"):
        yield

HEADER = "tps_code,dpt_male,dpt_female,dpt_total,special,lat,lng,address\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "tps.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def empty_desa(world):
    PollingStation.objects.filter(desa_id="64.02.06.2001").delete()
    return "64.02.06.2001"


@pytest.mark.django_db
def test_import_adds_tps_and_updates_subtree_counters(tmp_path, empty_desa):
    text = HEADER + "64.02.06.2001.001,200,190,390,0,-0.41,116.98,Balai desa\n64.02.06.2001.901,40,10,,1,,,Rutan\n"
    result = import_tps(write(tmp_path, text))
    assert (result.added, result.updated) == (2, 0)
    assert PollingStation.objects.get(code="64.02.06.2001.901").is_special
    assert Area.objects.get(code="64.02.06.2001").dpt_total == 440
    assert Area.objects.get(code="64.02").tps_count == 3 + 3 + 2  # Sukarame, Badak Baru, and the new two
    assert result.per_kecamatan == {"64.02.06": {"tps": 2, "dpt": 440}}


@pytest.mark.django_db
def test_desa_code_and_number_columns_work_too(tmp_path, empty_desa):
    text = "desa_code,tps_number,dpt_male,dpt_female\n64.02.06.2001,7,100,100\n"
    import_tps(write(tmp_path, text))
    assert PollingStation.objects.get(code="64.02.06.2001.007").dpt_total == 200


@pytest.mark.django_db
def test_reimport_is_a_no_op_and_a_change_leaves_history(tmp_path, empty_desa):
    path = write(tmp_path, HEADER + "64.02.06.2001.001,200,190,390,0,,,\n")
    import_tps(path)
    assert not import_tps(path).changed
    changed = import_tps(write(tmp_path, HEADER + "64.02.06.2001.001,210,190,400,0,,,\n"))
    assert changed.updated == 1
    entry = HistoryEntry.objects.get(object_key="64.02.06.2001.001", action="updated")
    assert entry.changes["dpt_male"] == [200, 210]
    assert Area.objects.get(code="64.02.06").dpt_total == 3 * 290 + 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("64.02.06.9999.001,1,1,2,0,,,", "tps_code", "unknown desa/kelurahan 64.02.06.9999"),
        ("64.02.06.2001.001,400,250,650,0,,,", "dpt_total", "above the maximum of 600"),
        ("64.02.06.2001.001,banyak,1,,0,,,", "dpt_male", "not a whole number"),
        ("64.02.06.2001.001,-5,1,,0,,,", "dpt_male", "not a whole number"),
        ("64.02.06.2001.001,100,100,150,0,,,", "dpt_total", "is not dpt_male + dpt_female = 200"),
        ("64.02.06.2001.1,100,100,,0,,,", "tps_code", "is not a TPS code"),
        ("64.02.06.2001.001,100,100,,mungkin,,,", "special", "is not 1/0"),
        ("64.02.06.2001.001,100,100,,0,52.5,116.9,", "lat", "outside Indonesia"),
        ("64.02.06.2001.001,100,100,,0,-0.4,,", "lng", "give both lat and lng"),
        ("64.02.06.2001.001,100,100,,0,,," + "J" * 256, "address", "longer than 255 characters"),  # was cut silently
    ],
)
def test_bad_rows_are_refused_with_line_and_column(tmp_path, empty_desa, row, column, reason):
    with pytest.raises(ImportFailed) as failure:
        import_tps(write(tmp_path, HEADER + "64.02.06.2001.002,10,10,20,0,,,\n" + row + "\n"))
    errors = failure.value.errors
    assert [(e.line, e.column) for e in errors] == [(3, column)]
    assert reason in errors[0].reason
    assert not PollingStation.objects.filter(desa_id=empty_desa).exists()


@pytest.mark.django_db
def test_duplicate_tps_in_file_names_both_lines(tmp_path, empty_desa):
    text = HEADER + "64.02.06.2001.001,1,1,2,0,,,\n6402062001001,1,1,2,0,,,\n"
    with pytest.raises(ImportFailed) as failure:
        import_tps(write(tmp_path, text))
    assert "duplicate TPS 64.02.06.2001.001 (first on line 2)" in failure.value.errors[0].reason


@pytest.mark.django_db
def test_wrong_header_and_non_utf8(tmp_path, world):
    with pytest.raises(ImportFailed, match="import refused") as failure:
        import_tps(write(tmp_path, "tps,pemilih\n1,2\n"))
    assert "dpt_female, dpt_male" in failure.value.errors[0].reason
    with pytest.raises(ImportFailed) as failure:
        import_tps(write(tmp_path, HEADER + "64.02.06.2001.001,1,1,2,0,,,Jalan Poros Km 5 ¤\n", encoding="cp1252"))
    assert "not UTF-8" in failure.value.errors[0].reason


@pytest.mark.django_db
def test_command_prints_totals_per_kecamatan(tmp_path, empty_desa, capsys):
    call_command("import_tps", str(write(tmp_path, HEADER + "64.02.06.2001.001,200,190,390,0,,,\n")))
    out = capsys.readouterr().out
    assert "64.02.06" in out and "Tenggarong" in out and "390" in out
    with pytest.raises(CommandError):
        call_command("import_tps", str(write(tmp_path, HEADER + "64.02.06.9999.001,1,1,2,0,,,\n")))


@pytest.mark.django_db
def test_tps_missing_from_file_are_kept_unless_asked(tmp_path, world):
    path = write(tmp_path, HEADER + "64.02.06.2001.001,150,140,290,0,,,\n")
    result = import_tps(path)
    assert result.missing_from_file == ["64.02.06.2001.002", "64.02.06.2001.003"]
    assert PollingStation.objects.filter(desa_id="64.02.06.2001").count() == 3
    result = import_tps(path, delete_removed=True)
    assert result.deleted == ["64.02.06.2001.002", "64.02.06.2001.003"]
    assert Area.objects.get(code="64.02.06.2001").tps_count == 1
