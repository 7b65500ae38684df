"""Domain errors. Services raise these; the API and views turn them into responses.

Every error has a machine-readable `code` and a human `detail`; validation errors name the field.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class FieldError:
    field: str
    reason: str


@dataclass(frozen=True)
class RowError:
    """One bad row of a bulk import: where it is and what is wrong with it."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.column:
            where = _("baris %(line)d, kolom %(column)s") % {"line": self.line, "column": self.column}
        else:
            where = _("baris %(line)d") % {"line": self.line}
        return f"{where}: {self.reason}"


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, detail: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict:
        body: dict = {"code": self.code, "detail": self.detail}
        if self.field:
            body["field"] = self.field
        return body


class ValidationFailed(DomainError):
    status = 422
    code = "validation_error"

    def __init__(
        self, detail: str, *, field: str | None = None, errors: list[FieldError] | None = None, code: str | None = None
    ) -> None:
        super().__init__(detail, code=code, field=field)
        self.errors = errors or ([FieldError(field, detail)] if field else [])

    def as_dict(self) -> dict:
        body = super().as_dict()
        if self.errors:
            body["errors"] = [{"field": e.field, "reason": e.reason} for e in self.errors]
        return body


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class ClientIdReused(Conflict):
    """A client id sent again with another body: a client bug, never a silent replay of the stored record.

    The answer names both bodies (`stored`, `sent`); `stored` is left empty when the sender may not read
    the stored record, so a guessed client id reveals nothing."""

    code = "client_id_reused"

    def __init__(self, client_id: str, *, stored: dict[str, Any], sent: dict[str, Any], what: str = "") -> None:
        shown = _body_text(stored) if stored else _("(tidak dapat Anda lihat)")
        super().__init__(
            _("client_id %(id)s sudah dipakai untuk %(what)s dengan isi lain: tersimpan %(stored)s; dikirim %(sent)s")
            % {"id": client_id, "what": what or _("data lain"), "stored": shown, "sent": _body_text(sent)},
            field="client_id",
        )
        self.client_id, self.stored, self.sent = client_id, stored, sent

    def as_dict(self) -> dict:
        return {**super().as_dict(), "client_id": self.client_id, "stored": self.stored, "sent": self.sent}


def _body_text(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, default=str)


class ImportFailed(DomainError):
    """A bulk import refused as a whole; `errors` lists every bad row."""

    status = 422
    code = "import_failed"

    def __init__(self, errors: list[RowError], detail: str = "") -> None:
        refused = ngettext(
            "impor ditolak: %(count)d baris salah, tidak ada yang disimpan",
            "impor ditolak: %(count)d baris salah, tidak ada yang disimpan",
            len(errors),
        )
        super().__init__(detail or refused % {"count": len(errors)})
        self.errors = errors

    def as_dict(self) -> dict:
        body = super().as_dict()
        body["errors"] = [{"line": e.line, "column": e.column, "reason": e.reason} for e in self.errors]
        return body
