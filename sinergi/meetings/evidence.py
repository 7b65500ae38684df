"""Evidence of progress on an action item: photos, PDFs and office documents, checked by content."""

from sinergi.core.uploads import IMAGES_AND_PDF, OFFICE, CheckedFile, upload_check

EVIDENCE_TYPES = IMAGES_AND_PDF | {OFFICE}


def evidence_check(name: str, content: bytes) -> CheckedFile:
    return upload_check(name, content, accept=EVIDENCE_TYPES, field="evidence")
