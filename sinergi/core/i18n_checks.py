"""Static checks of the translation: catalogues complete, code's msgids catalogued, no raw user text.

Used by the CI test `core/tests/test_translation_catalogues.py` (and by the template check). Pure
reading of files: an AST scan of the Python sources and polib for the catalogues; nothing imported.

- `catalogue_problems()`: every untranslated or fuzzy entry of every `.po` of the project.
- `uncatalogued_msgids()`: string literals passed to gettext & co. that the catalogue the code belongs
  to (the app's own `locale/`, else the project's `sinergi/locale/`) does not hold.
- `raw_messages()`: string literals with letters passed as the message of an error, a flash message,
  a form error or an SMS reply without going through gettext.
"""

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent  # sinergi/
PROJECT_CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Translation functions: name -> (index of msgid, index of plural or None, index of context or None).
GETTEXT_FUNCTIONS = {
    "_": (0, None, None),
    "gettext": (0, None, None),
    "gettext_lazy": (0, None, None),
    "gettext_noop": (0, None, None),
    "ngettext": (0, 1, None),
    "ngettext_lazy": (0, 1, None),
    "pgettext": (1, None, 0),
    "pgettext_lazy": (1, None, 0),
    "npgettext": (1, 2, 0),
    "npgettext_lazy": (1, 2, 0),
}

# Callables whose message a person reads: name -> (position of the message, its keyword).
# Subclasses of the domain errors defined in the project are found by the scan and added.
MESSAGE_CALLS = {
    "DomainError": (0, "detail"),
    "ValidationFailed": (0, "detail"),
    "NotFound": (0, "detail"),
    "Forbidden": (0, "detail"),
    "Conflict": (0, "detail"),
    "ImportFailed": (1, "detail"),
    "FieldError": (1, "reason"),
    "RowError": (2, "reason"),
    "HttpError": (1, "message"),  # ninja.errors.HttpError(status, message)
    "Http404": (0, None),  # the API's not-found handler shows it as the detail
    "CalendarNotCovered": (0, None),  # grants: shown as a ValidationFailed detail
    "ValidationError": (0, "message"),  # django.core.exceptions / forms
    "CommandError": (0, None),  # a management command's refusal, read by the operator
    "SmsReply": (0, "text"),
    "SmsFormatError": (0, None),  # incidents: why an SMS report was not understood, sent back as the reply
    "TransitionRefused": (0, "reason"),  # incidents: why a triage action is refused
    "add_error": (1, "error"),  # form.add_error(field, error)
    # django.contrib.messages
    "success": (1, "message"),
    "info": (1, "message"),
    "warning": (1, "message"),
    "error": (1, "message"),
    "debug": (1, "message"),
    "add_message": (2, "message"),
}
_MESSAGES_FUNCTIONS = {"success", "info", "warning", "error", "debug", "add_message"}
_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdfir]|\{[^}]*\}")
_DOMAIN_ERRORS = {"DomainError", "ValidationFailed", "NotFound", "Forbidden", "Conflict"}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{shown(self.path)}:{self.line}: {self.text}"


def shown(path: Path) -> str:
    """A path as the repository names it (sinergi/...)."""
    return str(path.relative_to(PACKAGE.parent)) if path.is_relative_to(PACKAGE.parent) else str(path)


def python_sources(root: Path = PACKAGE) -> list[Path]:
    """The project's own code: no tests, migrations, test settings or conftest."""
    skipped_dirs = {"tests", "migrations", "__pycache__"}
    return sorted(
        path
        for path in root.rglob("*.py")
        if not skipped_dirs & set(path.relative_to(root).parts)
        and path.name not in {"conftest.py", "settings_test.py"}
        and not path.name.startswith("test_")
    )


def catalogues(root: Path = PACKAGE) -> list[Path]:
    return sorted(root.glob("locale/*/LC_MESSAGES/*.po")) + sorted(root.glob("*/locale/*/LC_MESSAGES/*.po"))


def catalogue_for(path: Path, language: str = "en", root: Path = PACKAGE) -> Path:
    """The catalogue `makemessages` puts a file's strings in: its app's own locale/, else the project's."""
    parts = path.resolve().relative_to(root).parts
    if len(parts) > 1:
        app_catalogue = root / parts[0] / "locale" / language / "LC_MESSAGES" / "django.po"
        if app_catalogue.exists():
            return app_catalogue
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


# Catalogues -----------------------------------------------------------------------------------------


def catalogue_problems(paths: Iterable[Path] | None = None) -> list[str]:
    """Every entry without a translation, and every fuzzy one (gettext ignores fuzzy translations)."""
    problems = []
    for po_path in paths if paths is not None else catalogues():
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            where = f"{shown(po_path)}: {entry.msgid!r}"
            if "fuzzy" in entry.flags:
                problems.append(f"{where} is fuzzy")
            elif not entry.translated():
                problems.append(f"{where} has no translation")
    return problems


def _catalogue_keys(po_path: Path) -> set[tuple[str | None, str]]:
    """(context, msgid) of every entry, and (context, plural) of plural entries."""
    keys: set[tuple[str | None, str]] = set()
    for entry in polib.pofile(str(po_path)):
        if not entry.obsolete:
            keys.add((entry.msgctxt, entry.msgid))
            if entry.msgid_plural:
                keys.add((entry.msgctxt, entry.msgid_plural))
    return keys


def uncatalogued_msgids(sources: Iterable[Path] | None = None, root: Path = PACKAGE) -> list[Finding]:
    loaded: dict[Path, set[tuple[str | None, str]]] = {}
    missing = []
    for path in sources if sources is not None else python_sources(root):
        po_path = catalogue_for(path, root=root)
        if po_path not in loaded:
            loaded[po_path] = _catalogue_keys(po_path) if po_path.exists() else set()
        for line, context, msgid in msgids_in(path):
            if (context, msgid) not in loaded[po_path]:
                missing.append(Finding(path, line, f"{msgid!r} is not in {shown(po_path)}"))
    return missing


def msgids_in(path: Path) -> Iterator[tuple[int, str | None, str]]:
    for node in ast.walk(_parse(path)):
        if not isinstance(node, ast.Call):
            continue
        spec = GETTEXT_FUNCTIONS.get(_called_name(node))
        if spec is None:
            continue
        msgid_at, plural_at, context_at = spec
        context = _literal(node, context_at) if context_at is not None else None
        for position in (msgid_at, plural_at):
            if position is None:
                continue
            text = _literal(node, position)
            if text:  # "" is gettext's header, not a message
                yield node.lineno, context, text


def _literal(call: ast.Call, position: int) -> str | None:
    if len(call.args) > position:
        argument = call.args[position]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            return argument.value
    return None


# Raw user-facing strings ----------------------------------------------------------------------------


def raw_messages(sources: Iterable[Path] | None = None, allowlist: Iterable[str] = ()) -> list[Finding]:
    """Messages a person reads that are built from a plain string literal instead of gettext.

    `allowlist` holds "path:text" entries (the path relative to the repository, the literal's text)."""
    paths = list(sources if sources is not None else python_sources())
    trees = {path: _parse(path) for path in paths}
    calls = dict(MESSAGE_CALLS)
    for name in _domain_error_subclasses(trees.values()):
        calls.setdefault(name, (0, "detail"))
    allowed = set(allowlist)
    findings = []
    for path, tree in trees.items():
        relative = shown(path)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _called_name(node)
            if name == "notify":  # accounts.notifications.notify(title=..., body=...): read in the inbox
                messages = [item.value for item in node.keywords if item.arg in ("title", "body")]
            elif name in calls and _is_message_call(node, name):
                messages = [message] if (message := _message_argument(node, *calls[name])) is not None else []
            else:
                continue
            for message in messages:
                raw = _raw_text(message)
                if raw is not None and f"{relative}:{raw}" not in allowed:
                    findings.append(Finding(path, node.lineno, f"{name}({raw!r})"))
        findings += [f for f in _raw_refusals(path, tree) if f"{relative}:{f.text}" not in allowed]
    return findings


def _raw_refusals(path: Path, tree: ast.Module) -> list[Finding]:
    """`*_refusal()` functions return the reason a person is refused (shown as a 403's detail)."""
    findings = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef) and "refusal" in function.name:
            for node in ast.walk(function):
                if isinstance(node, ast.Return) and node.value is not None:
                    raw = _raw_text(node.value)
                    if raw is not None:
                        findings.append(Finding(path, node.lineno, raw))
    return findings


def _domain_error_subclasses(trees: Iterable[ast.Module]) -> set[str]:
    """Classes deriving (directly or not) from a domain error: their first argument is a message too."""
    bases_of: dict[str, set[str]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases_of[node.name] = {_expression_name(base) for base in node.bases}
    known = set(_DOMAIN_ERRORS)
    while True:
        more = {name for name, bases in bases_of.items() if bases & known} - known
        if not more:
            return known - _DOMAIN_ERRORS
        known |= more


def _is_message_call(node: ast.Call, name: str) -> bool:
    """`messages.error(request, ...)` is a flash message; `logger.error(...)` and `x.info` are not."""
    if name not in _MESSAGES_FUNCTIONS:
        return True
    return isinstance(node.func, ast.Attribute) and _expression_name(node.func.value) == "messages"


def _message_argument(node: ast.Call, position: int, keyword: str | None) -> ast.expr | None:
    if len(node.args) > position and not any(isinstance(a, ast.Starred) for a in node.args[: position + 1]):
        return node.args[position]
    for item in node.keywords:
        if keyword is not None and item.arg == keyword:
            return item.value
    return None


def _raw_text(node: ast.expr) -> str | None:
    """The untranslated text the expression shows, or None when it shows none (gettext, a variable)."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) and _has_words(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(str(part.value) for part in node.values if isinstance(part, ast.Constant))
        return text if _has_words(text) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _raw_text(node.left)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _raw_text(node.left) or _raw_text(node.right)
    if isinstance(node, ast.IfExp):
        return _raw_text(node.body) or _raw_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return next((text for text in map(_raw_text, node.values) if text), None)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"format", "join"}:
        return _raw_text(node.func.value) if node.func.attr == "format" else None
    return None


def _has_words(text: str) -> bool:
    """Two letters in a row: 'Rp', 'TPS' count; '-', ': ', '%(x)s' alone do not."""
    letters = 0
    for char in _PLACEHOLDER.sub(" ", text):
        letters = letters + 1 if char.isalpha() else 0
        if letters >= 2:
            return True
    return False


def _called_name(node: ast.Call) -> str:
    return _expression_name(node.func)


def _expression_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
