"""Bulk CSV import: every bad row reported, nothing stored unless all rows are good."""

import pytest

from sinergi.core.errors import ImportFailed
from sinergi.risk import importer
from sinergi.risk.models import AreaRollup, Checklist
from sinergi.risk.tests import factories


def csv_file(tmp_path, instrument, rows, header=None):
    codes = factories.all_no(instrument).keys()
    header = header or ["tps_code", *codes, "catatan"]
    lines = [",".join(header)]
    for tps, values in rows:
        lines.append(",".join([tps, *[values.get(c, "tidak") for c in codes], ""]))
    path = tmp_path / "ceklis.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_file_creates_versions_and_rollups(kround, analyst, tmp_path):
    stations = factories.stations()
    rows = [(s, {"2.1": "ya", "1.1": "4"} if i == 0 else {}) for i, s in enumerate(stations)]
    result = importer.checklists_import(actor=analyst, round_=kround, path=csv_file(tmp_path, kround.instrument, rows))
    assert (result.rows, result.flagged) == (9, 1)
    first = Checklist.objects.get(tps_id=stations[0])
    assert first.answers["1.1"] == {"yes": True, "count": 4} and first.channel == "import"
    assert AreaRollup.objects.get(round=kround, area_id="64.02").tps_assessed == 9
    importer.checklists_import(actor=analyst, round_=kround, path=csv_file(tmp_path, kround.instrument, rows[:1]))
    assert Checklist.objects.get(tps_id=stations[0], is_current=True).version == 2


def test_every_bad_row_is_reported_and_nothing_stored(kround, analyst, tmp_path):
    s = factories.stations()
    rows = [
        (s[0], {}),
        ("64.02.06.1001.999", {}),  # unknown TPS
        ("64.72.01.1001.001", {}),  # outside the round
        (s[0], {}),  # duplicate
        (s[1], {"2.1": "mungkin"}),  # not ya/tidak
        (s[2], {"1.1": "-3"}),  # not a count
    ]
    with pytest.raises(ImportFailed) as err:
        importer.checklists_import(actor=analyst, round_=kround, path=csv_file(tmp_path, kround.instrument, rows))
    found = {(e.line, e.column) for e in err.value.errors}
    assert found == {(3, "tps_code"), (4, "tps_code"), (5, "tps_code"), (6, "2.1"), (7, "1.1")}
    assert not Checklist.objects.exists() and not AreaRollup.objects.exists()


def test_missing_columns_are_named(kround, analyst, tmp_path):
    path = csv_file(tmp_path, kround.instrument, [], header=["tps_code", "1.1"])
    with pytest.raises(ImportFailed) as err:
        importer.checklists_import(actor=analyst, round_=kround, path=path)
    assert "8.2" in err.value.errors[0].reason


def test_field_officer_cannot_import_outside_own_kecamatan(kround, personas, tmp_path):
    rows: list[tuple[str, dict]] = [(factories.stations("64.02.05")[0], {})]
    with pytest.raises(ImportFailed) as err:
        importer.checklists_import(
            actor=personas.field_officer, round_=kround, path=csv_file(tmp_path, kround.instrument, rows)
        )
    assert "tidak dapat mengisi" in err.value.errors[0].reason


def test_not_utf8_and_empty_files_are_refused(kround, analyst, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("tps_code,catatan\nx,caf\xe9\n".encode("latin-1"))
    with pytest.raises(ImportFailed):
        importer.checklists_import(actor=analyst, round_=kround, path=path)
    with pytest.raises(ImportFailed) as err:
        importer.checklists_import(actor=analyst, round_=kround, path=csv_file(tmp_path, kround.instrument, []))
    assert "tidak berisi baris" in err.value.errors[0].reason


def test_upload_page_shows_row_errors(kround, analyst, tmp_path):
    from sinergi.conftest import client_for

    path = csv_file(tmp_path, kround.instrument, [("64.02.06.1001.999", {})])
    with path.open("rb") as handle:
        response = client_for(analyst).post(f"/kerawanan/putaran/{kround.slug}/", {"file": handle})
    assert response.status_code == 422
    assert "baris 2, kolom tps_code" in response.content.decode()
