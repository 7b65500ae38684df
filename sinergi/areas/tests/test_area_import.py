from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sinergi.areas.area_import import import_areas
from sinergi.areas.models import Area
from sinergi.core.errors import ImportFailed
from testkit.builders import polling_station_make


@pytest.fixture(autouse=True)
def english():
    """The import messages are checked in English: the catalogue's translation of the Indonesian source."""
    with translation.override("en"):
        yield

HEADER = "code,name,level,parent_code,type\n"
EDITION_2022 = HEADER + (
    "64,Kalimantan Timur,provinsi,,\n"
    "64.02,Kabupaten Kutai Kartanegara,kabupaten_kota,64,kabupaten\n"
    "64.02.06,Tenggarong,kecamatan,64.02,\n"
    "64.02.06.1001,Sukarame,desa_kelurahan,64.02.06,kelurahan\n"
    "64.02.06.2001,Bukit Biru,desa_kelurahan,64.02.06,desa\n"
    "64.02.20,Semboja Barat,kecamatan,64.02,\n"
    "64.02.20.2001,Tani Bhakti,desa_kelurahan,64.02.20,desa\n"
)


def write(tmp_path: Path, text: str, name: str = "areas.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def without(text: str, *codes: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if line.split(",")[0] not in codes)


@pytest.mark.django_db
def test_import_builds_the_tree_with_counters(tmp_path):
    result = import_areas(write(tmp_path, EDITION_2022))
    assert len(result.added) == 7
    assert Area.objects.get(code="64").parent_id == "ID"
    assert Area.objects.get(code="64.02").children_count == 2
    assert Area.objects.get(code="64.02.06.1001").kind == "kelurahan"


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = write(tmp_path, EDITION_2022)
    import_areas(path)
    again = import_areas(path)
    assert not again.changed
    assert again.batch_id is None


@pytest.mark.django_db
def test_new_edition_reports_renamed_added_and_removed(tmp_path):
    import_areas(write(tmp_path, EDITION_2022))
    edition_2025 = without(EDITION_2022.replace("Semboja Barat", "Samboja Barat"), "64.02.20.2001")
    edition_2025 += "64.02.06.2002,Loa Ipuh Darat,desa_kelurahan,64.02.06,desa\n"
    result = import_areas(write(tmp_path, edition_2025, "2025.csv"))
    assert result.renamed == [("64.02.20", "Semboja Barat", "Samboja Barat")]
    assert result.added == ["64.02.06.2002"]
    assert result.removed == ["64.02.20.2001"]
    assert result.kept_inactive == ["64.02.20.2001"]
    assert Area.objects.get(code="64.02.20.2001").is_active is False


@pytest.mark.django_db
def test_delete_removed_never_deletes_an_area_that_has_tps(tmp_path):
    import_areas(write(tmp_path, EDITION_2022))
    polling_station_make("64.02.20.2001", 1)
    polling_station_make("64.02.06.2001", 1)
    next_edition = without(EDITION_2022, "64.02.20.2001", "64.02.06.2001", "64.02.06.1001")
    result = import_areas(write(tmp_path, next_edition, "next.csv"), delete_removed=True)
    assert result.deleted == ["64.02.06.1001"]
    assert set(result.kept_inactive) == {"64.02.06.2001", "64.02.20.2001"}
    assert Area.objects.filter(code="64.02.20.2001", is_active=False).exists()
    assert not Area.objects.filter(code="64.02.06.1001").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kode,nama\n64,Kaltim\n", "header lacks column(s) code, level, name, parent_code, type"),
        (
            HEADER + "64,Kalimantan Timur,provinsi,,\n64,Kaltim lagi,provinsi,,\n",
            "line 3, column code: duplicate code 64",
        ),
        (
            HEADER + "64.02,Kutai Kartanegara,kabupaten_kota,64,kabupaten\n",
            "line 2, column parent_code: unknown parent area 64",
        ),
        (
            HEADER + "64,Kalimantan Timur,provinsi,,\n64.2,Kukar,kabupaten_kota,64,kabupaten\n",
            "'64.2' is not a valid kabupaten_kota code",
        ),
        (HEADER + "64,Kalimantan Timur,kota,,\n", "unknown level 'kota'"),
        (HEADER + "64,,provinsi,,\n", "name is empty"),
        (HEADER + "64,Kalimantan Timur,provinsi,,,extra\n", "more values than header columns"),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_stored(tmp_path, text, expected):
    with pytest.raises(ImportFailed) as failure:
        import_areas(write(tmp_path, text))
    assert any(expected in str(error) for error in failure.value.errors), failure.value.errors
    assert not Area.objects.exclude(code="ID").exists()


@pytest.mark.django_db
def test_every_bad_row_is_listed_not_just_the_first(tmp_path):
    text = (
        HEADER
        + "64,Kalimantan Timur,provinsi,,\n64.2,A,kabupaten_kota,64,kabupaten\n64.3,B,kabupaten_kota,64,kabupaten\n"
    )
    with pytest.raises(ImportFailed) as failure:
        import_areas(write(tmp_path, text))
    assert [e.line for e in failure.value.errors] == [3, 4]


@pytest.mark.django_db
def test_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = write(
        tmp_path, HEADER + "64,Kalimantan Timur,provinsi,,\n11,Daerah Istimewa Acèh,provinsi,,\n", encoding="latin-1"
    )
    with pytest.raises(ImportFailed) as failure:
        import_areas(path)
    assert "not UTF-8" in failure.value.errors[0].reason
    assert failure.value.errors[0].line == 3
    assert not Area.objects.filter(code="64").exists()


@pytest.mark.django_db
def test_command_prints_every_bad_row_and_exits_non_zero(tmp_path, capsys):
    path = write(tmp_path, HEADER + "64.2,A,kabupaten_kota,64,kabupaten\n")
    with pytest.raises(CommandError, match="database is unchanged"):
        call_command("import_areas", str(path))
    assert "line 2" in capsys.readouterr().err
