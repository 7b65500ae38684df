"""A document as a download."""

from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def attachment(body: bytes, filename: str) -> HttpResponse:
    """The file as an attachment, its type from the name's extension (csv, pdf, xlsx)."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = _disposition(filename)
    return response


def streamed_attachment(chunks: Iterable[bytes], filename: str) -> StreamingHttpResponse:
    """A file written while it is sent (a CSV of any size)."""
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = _disposition(filename)
    return response
