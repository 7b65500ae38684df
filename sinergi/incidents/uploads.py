"""Checking attachments by their content, not their name: JPEG, PNG, WebP images and PDF only."""

import hashlib
import io
from dataclasses import dataclass

from sinergi.core.errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
_SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
]


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str


def sniff(head: bytes) -> str | None:
    """The MIME type the bytes really are, or None if it is not one we accept."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _image_is_whole(content: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except Exception:
        return False
    return True


def check_file(name: str, content: bytes) -> CheckedFile:
    label = name[:200] or "lampiran"
    if not content:
        raise ValidationFailed(f"{label}: file is empty", field="attachments")
    if len(content) > MAX_BYTES:
        raise ValidationFailed(f"{label}: larger than {MAX_BYTES // 2**20} MB", field="attachments")
    content_type = sniff(content[:16])
    if content_type is None:
        raise ValidationFailed(f"{label}: only JPEG, PNG, WebP images and PDF are accepted", field="attachments")
    if content_type.startswith("image/") and not _image_is_whole(content):
        raise ValidationFailed(f"{label}: the image is damaged or incomplete", field="attachments")
    if content_type == "application/pdf" and b"%%EOF" not in content[-1024:]:
        raise ValidationFailed(f"{label}: the PDF is incomplete", field="attachments")
    return CheckedFile(label, content, content_type, hashlib.sha256(content).hexdigest())


def check_files(files: list[tuple[str, bytes]]) -> list[CheckedFile]:
    if len(files) > MAX_FILES:
        raise ValidationFailed(f"at most {MAX_FILES} attachments per report", field="attachments")
    return [check_file(name, content) for name, content in files]
