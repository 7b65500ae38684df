"""Importers fed hostile or broken files: every bad row or feature is refused with its line (or feature
number) and column, no traceback, a non-zero exit from the commands, and the database unchanged."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.utils import translation

from sinergi.areas.area_import import import_areas
from sinergi.areas.boundary_import import import_boundaries
from sinergi.areas.models import Area, AreaBoundary, ImportBatch, PollingStation
from sinergi.areas.tps_import import import_tps
from sinergi.core.errors import ImportFailed
from sinergi.core.models import HistoryEntry


@pytest.fixture(autouse=True)
def english():
    """The import messages are checked in English: the catalogue's translation of the Indonesian source."""
    with translation.override("en"):
        yield

TPS_HEADER = "tps_code,dpt_male,dpt_female,dpt_total,special,lat,lng,address\n"
AREA_HEADER = "code,name,level,parent_code,type\n"
SQUARE = [[[116.9, -0.5], [117.0, -0.5], [117.0, -0.4], [116.9, -0.4], [116.9, -0.5]]]


def snapshot() -> dict:
    """Everything an import may write, to compare before and after a refused file."""
    return {
        "areas": list(Area.objects.order_by("code").values()),
        "tps": list(PollingStation.objects.order_by("code").values()),
        "boundaries": list(AreaBoundary.objects.order_by("area_id").values()),
        "batches": list(ImportBatch.objects.order_by("pk").values()),
        "history": HistoryEntry.objects.count(),
    }


def write(tmp_path: Path, text: str, name: str = "file.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def refused(importer, path: Path) -> list[tuple[int, str, str]]:
    """Run the importer on a file it must refuse; the errors as (line, column, reason)."""
    before = snapshot()
    with pytest.raises(ImportFailed) as failure:
        importer(path)
    assert snapshot() == before, "a refused import changed the database"
    return [(e.line, e.column, e.reason) for e in failure.value.errors]


@pytest.fixture
def surveyed_tps(world, tmp_path):
    """TPS 001 of Bukit Biru with coordinates and an address, as a previous import left it."""
    import_tps(write(tmp_path, TPS_HEADER + "64.02.06.2001.001,200,190,390,0,-0.41,116.98,Balai desa\n", "first.csv"))
    return PollingStation.objects.get(code="64.02.06.2001.001")


# --- TPS ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_truncated_tps_row_is_refused_and_keeps_coordinates_and_address(tmp_path, surveyed_tps):
    errors = refused(import_tps, write(tmp_path, TPS_HEADER + "64.02.06.2001.001,210,190,400,0\n"))
    assert len(errors) == 1
    line, column, reason = errors[0]
    assert (line, column) == (2, "") and reason.startswith("3 columns short") and "lat, lng, address" in reason
    station = PollingStation.objects.get(code="64.02.06.2001.001")
    assert (station.lat, station.lng, station.address, station.dpt_male) == (-0.41, 116.98, "Balai desa", 200)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("64.02.06.2001.001,²00,190,,0,,,", "dpt_male"),  # superscript two: isdigit() but int() fails
        ("64.02.06.2001.001,１２,190,,0,,,", "dpt_male"),  # full-width: int() would accept it
        ("64.02.06.2001.001,200,190,３９０,0,,,", "dpt_total"),
        ("64.02.06.2001.001,200,190,,0,-０.４,116.98,", "lat"),  # float() accepts full-width too
        ("64.02.06.2001.001,200,190,,0,nan,116.98,", "lat"),
        ("64.02.06.2001.001,200,190,,0,-0.41,1e2,", "lng"),
        ("６４.02.06.2001.001,200,190,,0,,,", "tps_code"),
    ],
)
def test_non_ascii_digits_are_refused_with_line_and_column(tmp_path, surveyed_tps, row, column):
    errors = refused(import_tps, write(tmp_path, TPS_HEADER + "64.02.06.2001.002,10,10,20,0,,,\n" + row + "\n"))
    assert [(line, col) for line, col, _ in errors] == [(3, column)]


@pytest.mark.django_db
def test_superscript_tps_number_is_refused(tmp_path, surveyed_tps):
    text = "desa_code,tps_number,dpt_male,dpt_female\n64.02.06.2001,²,100,100\n64.02.06.2001,１２,100,100\n"
    errors = refused(import_tps, write(tmp_path, text))
    assert [(line, column) for line, column, _ in errors] == [(2, "tps_number"), (3, "tps_number")]


@pytest.mark.django_db
def test_a_200_kb_field_is_refused_with_its_line(tmp_path, surveyed_tps):
    huge = "Jalan " + "x" * 200 * 1024
    text = TPS_HEADER + "64.02.06.2001.002,10,10,20,0,,,ok\n" + f'64.02.06.2001.001,200,190,390,0,,,"{huge}"\n'
    errors = refused(import_tps, write(tmp_path, text))
    assert [(line, column) for line, column, _ in errors] == [(3, "address")]
    assert "value too long" in errors[0][2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "character"), [("Balai\x00desa", "U+0000"), ("\x1b[2J", "U+001B"), ("a\x85", "U+0085")]
)
def test_control_characters_are_refused_with_line_and_column(tmp_path, surveyed_tps, value, character):
    errors = refused(import_tps, write(tmp_path, TPS_HEADER + f"64.02.06.2001.001,200,190,390,0,,,{value}\n"))
    assert [(line, column) for line, column, _ in errors] == [(2, "address")]
    assert f"control character {character}" in errors[0][2]


@pytest.mark.django_db
def test_every_bad_tps_row_is_reported_in_one_run(tmp_path, surveyed_tps):
    text = TPS_HEADER + (
        "64.02.06.2001.001,210,190,400,0\n"  # 2: truncated
        "64.02.06.2001.002,²0,10,,0,,,\n"  # 3: superscript
        "64.02.06.2001.003,10,10,20,0,,,Balai\x00\n"  # 4: NUL
        "64.02.06.9999.001,1,1,2,0,,,\n"  # 5: unknown desa
        "64.02.06.2001.004,10,10,20,0,,,fine\n"
    )
    errors = refused(import_tps, write(tmp_path, text))
    assert [line for line, _, _ in errors] == [2, 3, 4, 5]


# --- areas -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("64.02.06,Tenggarong", "", "columns short"),
        ("64.02.06,Tengga\x00rong,kecamatan,64.02,", "name", "control character U+0000"),
        ("64.02.06,Tenggarong\x7f,kecamatan,64.02,", "name", "control character U+007F"),
        ("６４.02.06,Tenggarong,kecamatan,64.02,", "code", "other than 0-9"),
        ("64.02.06,Tenggarong,kecamatan,６４.02,", "parent_code", "other than 0-9"),
        ("64.02.06," + "T" * 200 * 1024 + ",kecamatan,64.02,", "name", "value too long"),
    ],
)
def test_bad_area_rows_are_refused_with_line_and_column(tmp_path, world, row, column, reason):
    errors = refused(import_areas, write(tmp_path, AREA_HEADER + "64,Kalimantan Timur,provinsi,,\n" + row + "\n"))
    assert [(line, col) for line, col, _ in errors] == [(3, column)]
    assert reason in errors[0][2]
    assert Area.objects.get(code="64.02.06").name == "Tenggarong"


@pytest.mark.django_db
def test_a_control_character_in_the_header_is_refused(tmp_path, world):
    errors = refused(import_areas, write(tmp_path, "code,na\x00me,level,parent_code,type\n64,Kaltim,provinsi,,\n"))
    assert errors[0][:2] == (1, "2")


# --- boundaries --------------------------------------------------------------------------------


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def feature(code, coordinates=None, kind="Polygon", **properties) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": code, **properties},
        "geometry": {"type": kind, "coordinates": SQUARE if coordinates is None else coordinates},
    }


def write_json(tmp_path: Path, document) -> Path:
    text = document if isinstance(document, str) else json.dumps(document)  # json.dumps writes NaN as NaN
    return write(tmp_path, text, "b.geojson")


@pytest.fixture
def stored_boundary(world, tmp_path):
    import_boundaries(write_json(tmp_path, collection(feature("64.02.06", label_lat=-0.45, label_lng=116.95))))


NAN_SQUARE = [[[116.9, -0.5], [float("nan"), -0.5], [117.0, -0.4], [116.9, -0.5]]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw_feature", "expected"),
    [
        ("not a feature", "feature 2: is not a GeoJSON Feature"),
        ({"type": "Feature", "properties": ["64.02.05"], "geometry": {}}, "feature 2: properties must be an object"),
        ({"type": "Feature", "properties": {"code": "64.02.05"}}, "feature 2 (64.02.05): geometry is missing"),
        ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": SQUARE}}, "properties must be an object"),
        (feature("64.02.05", [[[116.9, -0.5], [117.0, -0.5], [117.0, -0.4], [116.9, -0.4], [116.9, -0.5]]], "Point"),
         "feature 2 (64.02.05): geometry must be a Polygon or MultiPolygon"),
        (feature("64.02.05", NAN_SQUARE), "feature 2 (64.02.05): ring 0, position 1: [NaN, -0.5] holds something"),
        (feature("64.02.05", [[[116.9, -0.5], [float("inf"), -0.5], [117, -0.4], [116.9, -0.5]]]), "Infinity"),
        (feature("64.02.05", [[["116.9", "-0.5"], [117, -0.5], [117, -0.4], ["116.9", "-0.5"]]]), "finite numbers"),
        (feature("64.02.05", [[[116.9, -0.5], [117, -0.5], [117, -0.4], [True, -0.5]]]), "finite numbers"),
        (feature("64.02.05", [[[116.9, -95], [117, -0.5], [117, -0.4], [116.9, -95]]]), "latitude -95 is outside"),
        (feature("64.02.05", [[[216.9, -0.5], [117, -0.5], [117, -0.4], [216.9, -0.5]]]), "longitude 216.9"),
        (feature("64.02.05", [[[116.9, -0.5], [117, -0.5], [117, -0.4], [116.9, -0.4]]]), "ring 0 is not closed"),
        (feature("64.02.05", [[[116.9, -0.5], [117, -0.5], [116.9, -0.5]]]), "at least 4 positions"),
        (feature("64.02.05", [[116.9, -0.5]]), "ring 0 needs at least 4 positions"),
        (feature("64.02.05", [SQUARE, NAN_SQUARE], "MultiPolygon"), "polygon 1: ring 0, position 1"),
        (feature("64.02.05", label_lat=float("nan"), label_lng=116.9), "label_lat and label_lng must both be numbers"),
        (feature("64.02.05", label_lat=-0.4), "label_lat and label_lng must both be numbers"),
        (feature("64.02.05\x00"), "control character U+0000"),
        (feature(["64.02.05"]), "feature 2: properties.code is missing"),
    ],
)  # fmt: skip
def test_malformed_or_non_finite_features_are_refused_naming_the_feature(
    tmp_path, stored_boundary, raw_feature, expected
):
    errors = refused(import_boundaries, write_json(tmp_path, collection(feature("64.02.06"), raw_feature)))
    assert [line for line, _, _ in errors] == [2]
    assert expected in errors[0][2], errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ({"type": "FeatureCollection", "features": {"a": 1}}, "expected a list of features"),
        ([1, 2], "expected a GeoJSON FeatureCollection"),
        ("", "not valid JSON"),
    ],
)
def test_documents_that_are_not_feature_collections_are_refused(tmp_path, stored_boundary, document, expected):
    errors = refused(import_boundaries, write_json(tmp_path, document))
    assert expected in errors[0][2]


@pytest.mark.django_db
def test_every_bad_feature_is_reported_and_the_api_stays_valid_json(tmp_path, stored_boundary, personas):
    from sinergi.conftest import client_for

    document = collection(
        feature("64.02.06", NAN_SQUARE),
        feature("64.02.05"),
        feature("64.02.99"),
        feature("64.72.01", [[["a", "b"]]]),
    )
    errors = refused(import_boundaries, write_json(tmp_path, document))
    assert [line for line, _, _ in errors] == [1, 3, 4]
    assert "unknown area code 64.02.99" in errors[1][2]
    response = client_for(personas.coordinator).get("/api/v1/areas/64.02/boundaries")
    assert response.status_code == 200
    json.loads(response.content, parse_constant=lambda name: pytest.fail(f"{name} in the API"))


# --- the commands --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("command", "name", "text", "shown"),
    [
        ("import_tps", "t.csv", TPS_HEADER + "64.02.06.2001.001,²0,1\n64.02.06.2001.002,１,1,,0,,,\x00\n",
         ["t.csv: line 2: 5 columns short", "t.csv: line 3, column address: Field address contains the control character U+0000"]),
        ("import_areas", "a.csv", AREA_HEADER + "64,Kal\x00tim,provinsi,,\n",
         ["a.csv: line 2, column name"]),
        ("import_boundaries", "b.geojson", json.dumps(collection(feature("64.02.06", NAN_SQUARE))),
         ["b.geojson: line 1, column geometry: feature 1 (64.02.06): ring 0, position 1: [NaN, -0.5]"]),
    ],
)  # fmt: skip
def test_commands_print_every_error_without_a_traceback_and_exit_non_zero(
    tmp_path, stored_boundary, capsys, monkeypatch, command, name, text, shown
):
    path = write(tmp_path, text, name)
    before = snapshot()
    with pytest.raises(CommandError, match="database is unchanged"):
        call_command(command, str(path))
    err = capsys.readouterr().err
    for line in shown:
        assert line in err
    # As the `sinergi` console script runs it: the message on stderr, exit status 1, no traceback.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        load_command_class(get_commands()[command], command).run_from_argv(["sinergi", command, str(path)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "CommandError: import refused" in err
    assert snapshot() == before


@pytest.mark.django_db
def test_a_duplicated_column_or_a_directory_is_refused_not_a_traceback(tmp_path, surveyed_tps):
    errors = refused(
        import_tps, write(tmp_path, TPS_HEADER.replace("address", "lat") + "64.02.06.2001.001,1,1,2,0,,,\n")
    )
    assert errors[0][:2] == (1, "lat") and "more than once" in errors[0][2]
    assert "file not found" in refused(import_tps, tmp_path)[0][2]
