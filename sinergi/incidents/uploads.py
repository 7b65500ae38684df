"""Report attachments: JPEG, PNG, WebP images and PDF, checked by content (`core.uploads`)."""

from sinergi.core.errors import ValidationFailed
from sinergi.core.uploads import IMAGES_AND_PDF, CheckedFile, upload_check

MAX_FILES = 5


def check_files(files: list[tuple[str, bytes]]) -> list[CheckedFile]:
    if len(files) > MAX_FILES:
        raise ValidationFailed(f"at most {MAX_FILES} attachments per report", field="attachments")
    return [upload_check(name, content, accept=IMAGES_AND_PDF, field="attachments") for name, content in files]
