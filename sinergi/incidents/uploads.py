"""Report attachments: JPEG, PNG, WebP images and PDF, checked by content (`core.uploads`)."""

from typing import Any

from django.utils.translation import gettext as _

from sinergi.core.errors import ValidationFailed
from sinergi.core.uploads import IMAGES_AND_PDF, CheckedFile, upload_check, upload_read

MAX_FILES = 5
FIELD = "attachments"


def read_files(uploads: list[Any]) -> list[tuple[str, bytes]]:
    """The uploaded attachments' names and bytes: the count and each declared size are checked
    before anything is read, and no file is read past the size limit."""
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(_("paling banyak %(limit)d lampiran per laporan") % {"limit": MAX_FILES}, field=FIELD)
    return [upload_read(upload, field=FIELD) for upload in uploads]


def check_files(files: list[tuple[str, bytes]]) -> list[CheckedFile]:
    if len(files) > MAX_FILES:
        raise ValidationFailed(_("paling banyak %(limit)d lampiran per laporan") % {"limit": MAX_FILES}, field="attachments")
    return [upload_check(name, content, accept=IMAGES_AND_PDF, field="attachments") for name, content in files]
