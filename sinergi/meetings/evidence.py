"""Checks on uploaded evidence files: size and type, decided from the content, not the name."""

import hashlib
from dataclasses import dataclass

from sinergi.core.errors import ValidationFailed

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024

# Magic numbers of the formats field officers send: photos, PDFs, office documents (zip).
_SIGNATURES = [
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"PK\x03\x04", "application/zip", (".docx", ".xlsx", ".pptx", ".odt", ".ods")),
]


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str


def evidence_check(name: str, content: bytes) -> CheckedFile:
    """Refuse empty, too large or unknown files; the extension must agree with the content."""
    if not content:
        raise ValidationFailed(f"berkas {name!r} kosong", field="evidence")
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValidationFailed(f"berkas {name!r} lebih dari {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB", field="evidence")
    lowered = name.lower()
    for magic, content_type, extensions in _SIGNATURES:
        if content.startswith(magic):
            if not lowered.endswith(extensions):
                raise ValidationFailed(f"isi berkas {name!r} tidak sesuai dengan ekstensinya", field="evidence")
            return CheckedFile(name[-255:], content, content_type, hashlib.sha256(content).hexdigest())
    raise ValidationFailed(f"jenis berkas {name!r} tidak diterima (PDF, JPG, PNG, DOCX, XLSX)", field="evidence")
