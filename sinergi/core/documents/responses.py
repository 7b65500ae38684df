"""A document as a download."""

from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _disposition(filename: str, *, inline: bool = False) -> str:
    return f'{"inline" if inline else "attachment"}; filename="{filename}"'


def attachment(body: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """The file as a download (or shown in the browser, `inline`), its type from the name's extension."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = _disposition(filename, inline=inline)
    return response


def streamed_attachment(chunks: Iterable[bytes], filename: str) -> StreamingHttpResponse:
    """A file written while it is sent (a CSV of any size)."""
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = _disposition(filename)
    return response
