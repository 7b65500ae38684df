"""`core.csvfile.open_csv`: rows read as a stream, with the refusals of the whole-file reader."""

import gzip

import pytest
from django.utils import translation

from sinergi.core.csvfile import open_csv
from sinergi.core.errors import ImportFailed


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_rows_come_one_at_a_time_with_their_lines(tmp_path):
    path = tmp_path / "a.csv.gz"
    path.write_bytes(gzip.compress(b'\xef\xbb\xbfcode,name\n1,satu\n\n2,"dua\nbaris"\n3,tiga\n'))
    with open_csv(path, required={"code"}) as stream:
        assert stream.header == ["code", "name"]
        first = next(stream.rows)
        assert (first.line, first.values) == (2, {"code": "1", "name": "satu"})
        assert [(row.line, row.get("name")) for row in stream.rows] == [(5, "dua\nbaris"), (6, "tiga")]


def test_a_byte_that_is_not_utf8_past_the_first_block_names_its_line_and_byte(tmp_path):
    good = b"code,name\n" + b"".join(b"%d,desa nomor %d\n" % (n, n) for n in range(100_000))  # over 1 MiB
    path = tmp_path / "a.csv"
    path.write_bytes(good + b"7,Jalan Poros \xa4\n")
    with pytest.raises(ImportFailed) as failure, open_csv(path, required={"code"}) as stream:
        for _row in stream.rows:
            pass
    [error] = failure.value.errors
    assert error.line == 100_002
    assert f"byte {len(good) + len(b'7,Jalan Poros ')}" in error.reason


def test_a_broken_gzip_stream_is_refused_not_a_traceback(tmp_path):
    path = tmp_path / "a.csv.gz"
    path.write_bytes(gzip.compress(b"code\n" + b"1\n" * 50_000)[:-20])
    with pytest.raises(ImportFailed) as failure, open_csv(path, required={"code"}) as stream:
        for _row in stream.rows:
            pass
    assert "gzip" in failure.value.errors[0].reason
