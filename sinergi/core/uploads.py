"""Uploaded files are judged by their content, never by their name or the browser's claim.

Field officers send photos and scans from phones; an inspector may attach an office document.
Each module says which kinds it accepts; everything else, and anything damaged, is refused with a
reason that names the file.
"""

import hashlib
import io
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sinergi.core.errors import ValidationFailed

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

JPEG, PNG, WEBP, PDF, OFFICE = "image/jpeg", "image/png", "image/webp", "application/pdf", "application/zip"
IMAGES = frozenset({JPEG, PNG, WEBP})
IMAGES_AND_PDF = IMAGES | {PDF}

_LABELS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", PDF: "PDF", OFFICE: "DOCX/XLSX/ODT"}
_EXTENSIONS = {
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    WEBP: (".webp",),
    PDF: (".pdf",),
    OFFICE: (".docx", ".xlsx", ".pptx", ".odt", ".ods"),
}
_SIGNATURES = [(b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"%PDF-", PDF), (b"PK\x03\x04", OFFICE)]


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str


def sniff(head: bytes) -> str | None:
    """The type the bytes really are, or None if it is none we know."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def upload_read(upload: Any, *, field: str, max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[str, bytes]:
    """The name and bytes of an uploaded file, refused before it is read if it is too large.

    The declared size is checked first (a 50 MB upload is refused without reading it), and at most
    `max_bytes + 1` bytes are read, so a file that lies about its size is refused too."""
    name = getattr(upload, "name", "") or "berkas"
    label = name[-200:]
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise ValidationFailed(_("%(file)s: lebih besar dari %(mb)d MB") % {"file": label, "mb": max_bytes // 2**20}, field=field)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ValidationFailed(_("%(file)s: lebih besar dari %(mb)d MB") % {"file": label, "mb": max_bytes // 2**20}, field=field)
    return name, content


def upload_check(
    name: str, content: bytes, *, accept: Collection[str], field: str, max_bytes: int = MAX_UPLOAD_BYTES
) -> CheckedFile:
    label = (name or "berkas")[-200:]
    if not content:
        raise ValidationFailed(_("%(file)s: berkas kosong") % {"file": label}, field=field)
    if len(content) > max_bytes:
        raise ValidationFailed(_("%(file)s: lebih besar dari %(mb)d MB") % {"file": label, "mb": max_bytes // 2**20}, field=field)
    content_type = sniff(content[:16])
    if content_type is None or content_type not in accept:
        kinds = ", ".join(_LABELS[kind] for kind in sorted(accept, key=list(_LABELS).index))
        raise ValidationFailed(_("%(file)s: hanya berkas %(kinds)s yang diterima") % {"file": label, "kinds": kinds}, field=field)
    if name and not name.lower().endswith(_EXTENSIONS[content_type]):
        raise ValidationFailed(_("%(file)s: isinya %(kind)s, tidak sesuai dengan namanya") % {"file": label, "kind": _LABELS[content_type]}, field=field)
    if content_type in IMAGES and not _image_is_whole(content):
        raise ValidationFailed(_("%(file)s: gambar rusak atau tidak lengkap") % {"file": label}, field=field)
    if content_type == PDF and b"%%EOF" not in content[-1024:]:
        raise ValidationFailed(_("%(file)s: PDF tidak lengkap") % {"file": label}, field=field)
    return CheckedFile(label, content, content_type, hashlib.sha256(content).hexdigest())


def _image_is_whole(content: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except Exception:
        return False
    return True
