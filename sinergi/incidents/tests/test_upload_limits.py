"""Uploads are refused by their declared size before they are read, and never read past the limit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sinergi.core.errors import ValidationFailed
from sinergi.core.uploads import MAX_UPLOAD_BYTES, upload_read
from sinergi.incidents.models import Report
from sinergi.incidents.uploads import read_files


class CountingFile(io.RawIOBase):
    """A file that says it is `size` bytes long, produces zeros, and counts what is read of it."""

    def __init__(self, name: str, size: int, declared: int | None = None) -> None:
        self.name, self.size, self.remaining, self.bytes_read = name, declared or size, size, 0

    def read(self, n: int = -1) -> bytes:
        n = self.remaining if n is None or n < 0 else min(n, self.remaining)
        self.remaining -= n
        self.bytes_read += n
        return b"\0" * n


def test_a_50_mb_upload_is_refused_without_reading_it():
    big = CountingFile("besar.jpg", 50 * 2**20)
    with pytest.raises(ValidationFailed, match="lebih besar dari 5 MB"):
        read_files([big])
    assert big.bytes_read == 0


def test_a_file_that_understates_its_size_is_read_only_to_the_limit_plus_one():
    liar = CountingFile("bohong.jpg", 50 * 2**20, declared=1000)
    with pytest.raises(ValidationFailed, match="lebih besar dari"):
        upload_read(liar, field="attachments")
    assert liar.bytes_read == MAX_UPLOAD_BYTES + 1


def test_too_many_files_are_refused_before_any_is_read():
    files = [CountingFile(f"{n}.jpg", 10) for n in range(6)]
    with pytest.raises(ValidationFailed, match="paling banyak 5"):
        read_files(files)
    assert sum(f.bytes_read for f in files) == 0


@pytest.mark.django_db
def test_the_public_form_refuses_an_oversized_attachment(world):
    form = {
        "category": "intimidasi-kekerasan",
        "area_code": "64.02.06.2001",
        "description": "Foto kejadian terlampir",
        "reporter_contact": "0813 5555 1234",
        "attachments": SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff" + b"\0" * (MAX_UPLOAD_BYTES + 10)),
    }
    response = Client().post("/laporan/publik/", form)
    assert response.status_code == 200 and "lebih besar dari 5 MB" in response.content.decode()
    assert not Report.objects.exists()
