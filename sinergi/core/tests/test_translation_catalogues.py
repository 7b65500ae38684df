"""CI check of the Python side of the translation (issue 15): it fails when

(a) a `.po` catalogue of the project has an untranslated or fuzzy entry;
(b) a msgid used in code (a string literal given to gettext & co.) is missing from the catalogue the
    code belongs to (its app's `locale/`, else the project's `sinergi/locale/`): run
    `scripts/messages.sh <app>` (or `project`) and fill the English;
(c) a message a person reads is a plain string literal: the detail of our errors (ValidationFailed,
    NotFound, Forbidden, Conflict, FieldError, RowError, ImportFailed and their subclasses), ninja's
    HttpError, Django's ValidationError and Http404, `messages.*`, a form's `add_error`, an SMS reply,
    a notification's title and body, a management command's CommandError, and what a `*_refusal()`
    function returns.

The template side is checked by `test_template_translation.py`. The scans are in `core/i18n_checks.py`;
the last tests run them on small made-up sources, so a check that stops finding anything fails too.
"""

import textwrap
from pathlib import Path

import polib

from sinergi.core import i18n_checks

# "path:text" of a literal that is allowed to stay untranslated, with the reason. Keep it short.
ALLOWLIST: dict[str, str] = {}


def _lines(findings) -> str:
    return "\n".join(str(finding) for finding in findings)


def test_every_catalogue_entry_is_translated_and_none_is_fuzzy():
    problems = i18n_checks.catalogue_problems()
    assert not problems, "fill the English msgstr (and drop the fuzzy flag):\n" + "\n".join(problems)


def test_every_msgid_in_the_code_is_in_its_catalogue():
    missing = i18n_checks.uncatalogued_msgids()
    assert not missing, "run scripts/messages.sh <app> (or project) and fill the English:\n" + _lines(missing)


def test_no_user_facing_string_is_outside_translation():
    raw = i18n_checks.raw_messages(allowlist=ALLOWLIST)
    assert not raw, "wrap these messages in gettext (Indonesian msgid, %(name)s placeholders):\n" + _lines(raw)


def test_the_allowlist_names_only_literals_that_still_exist():
    """An entry whose code is gone would silently allow the same text anywhere it comes back."""
    everything = {f"{i18n_checks.shown(f.path)}:{f.text}" for f in i18n_checks.raw_messages()}
    stale = [entry for entry in ALLOWLIST if entry not in everything]
    assert not stale


# The checks themselves, on made-up sources --------------------------------------------------------


def _source(tmp_path: Path, text: str) -> Path:
    app = tmp_path / "sinergi" / "demoapp"
    app.mkdir(parents=True, exist_ok=True)
    path = app / "services.py"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_raw_messages_finds_literals_in_errors_replies_and_flash_messages(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n_checks, "PACKAGE", tmp_path / "sinergi")
    path = _source(
        tmp_path,
        """
        from django.contrib import messages
        from django.utils.translation import gettext as _

        class Refused(Forbidden):
            pass

        def act(request, code, form):
            if code == "a":
                raise ValidationFailed(f"TPS {code} is not a TPS of pilbup-kukar-2024", field="tps")
            if code == "b":
                raise Refused("round is closed; ask Bawaslu to reopen it")
            if code == "c":
                return SmsReply("area_code: " + code + " does not exist", ok=False)
            if code == "d":
                messages.success(request, "Saved.")
            if code == "e":
                form.add_error("name", "required")
            if code == "f":
                errors.append(FieldError("lat", "give both latitude and longitude"))
            raise NotFound(_("TPS %(code)s tidak ditemukan") % {"code": code})

        def write_refusal(user):
            return "your role may only read this"

        def tell(users, ref):
            notify(users=users, title=f"Laporan baru {ref}", body=lambda: _("isi"), url="/")

        def fine(request, code):
            logger.error("not a message for a person: %s", code)
            raise ValidationFailed(str(code), field="x")
        """,
    )
    found = sorted((finding.line, finding.text) for finding in i18n_checks.raw_messages([path]))
    assert found == [
        (10, "ValidationFailed('TPS  is not a TPS of pilbup-kukar-2024')"),
        (12, "Refused('round is closed; ask Bawaslu to reopen it')"),
        (14, "SmsReply('area_code: ')"),
        (16, "success('Saved.')"),
        (18, "add_error('required')"),
        (20, "FieldError('give both latitude and longitude')"),
        (24, "your role may only read this"),
        (27, "notify('Laporan baru ')"),
    ]
    allowed = "sinergi/demoapp/services.py:Saved."
    assert len(i18n_checks.raw_messages([path], allowlist=[allowed])) == len(found) - 1


def test_uncatalogued_msgids_reads_the_apps_own_catalogue(tmp_path):
    root = tmp_path / "sinergi"
    path = _source(
        tmp_path,
        """
        from django.utils.translation import gettext as _, ngettext, pgettext

        A = _("sudah ada")
        B = _("belum ada")
        C = ngettext("%(n)d laporan", "%(n)d laporan banyak", 2)
        D = pgettext("bulan", "Mei")
        """,
    )
    po_dir = root / "demoapp" / "locale" / "en" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="sudah ada", msgstr="already there"))
    catalogue.append(
        polib.POEntry(msgid="%(n)d laporan", msgid_plural="%(n)d laporan banyak", msgstr_plural={0: "x", 1: "y"})
    )
    catalogue.append(polib.POEntry(msgid="Mei", msgstr="May"))  # without the context "bulan"
    catalogue.save(str(po_dir / "django.po"))
    missing = [finding.text.split(" is not in ")[0] for finding in i18n_checks.uncatalogued_msgids([path], root=root)]
    assert missing == ["'belum ada'", "'Mei'"]


def test_catalogue_problems_reports_empty_and_fuzzy_entries(tmp_path):
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="sudah", msgstr="done"))
    catalogue.append(polib.POEntry(msgid="belum", msgstr=""))
    catalogue.append(polib.POEntry(msgid="hampir", msgstr="nearly", flags=["fuzzy"]))
    path = tmp_path / "django.po"
    catalogue.save(str(path))
    problems = i18n_checks.catalogue_problems([path])
    assert [problem.split(": ", 1)[1] for problem in problems] == ["'belum' has no translation", "'hampir' is fuzzy"]
