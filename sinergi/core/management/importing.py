"""Shared behaviour of the import commands: resolve the actor, print every bad row, exit non-zero."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sinergi.core.errors import ImportFailed


def add_common_arguments(parser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--as-user", dest="as_user", default=None, help="username recorded as the importer")


def run_import(
    command: BaseCommand, importer: Callable[..., Any], path: Path, as_user: str | None, **kwargs: Any
) -> Any:
    actor = None
    if as_user:
        actor = get_user_model().objects.filter(username=as_user).first()
        if actor is None:
            raise CommandError(_("pengguna %(name)s tidak dikenal") % {"name": as_user})
    try:
        return importer(path, actor=actor, **kwargs)
    except ImportFailed as exc:
        for error in exc.errors[:500]:
            command.stderr.write(f"{path.name}: {error}")
        if len(exc.errors) > 500:
            command.stderr.write(_("... dan %(count)d lagi") % {"count": len(exc.errors) - 500})
        raise CommandError(_("%(reason)s. Basis data tidak berubah.") % {"reason": exc.detail}) from None
