"""Every word a template shows goes through translation.

Each template is read with Django's own template Lexer: text outside `{% translate %}`,
`{% blocktranslate %}`, comments and `<script>`/`<style>` is parsed as HTML, and a text node or a
user-facing attribute (title, placeholder, aria-label, alt, the value of a button) that holds a
word fails, naming the template, the line and the text. Template tags and variables are blanked
out before the HTML is parsed, so `title="{% translate 'x' %}"` and `{{ name }}` pass. The words
that are the same in every language (the brand, codes, units) are allowed below, each with its
reason.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]  # the sinergi package
TEMPLATES = sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)

# Words that read the same in Indonesian and English, with the reason.
ALLOWED_WORDS = {
    "Sinergi": "the product's name",
    "API": "a technical term, the same in both languages",
    "PDF": "a file format",
    "XLSX": "a file format",
    "CSV": "a file format",
    "QR": "a QR code",
    "TPS": "the official name of a polling station, kept in English too (like KPU, DPT)",
    "DPT": "the official name of the voter list",
    "DPTb": "the official name of the additional voter list",
    "DPK": "the official name of the special voter list",
    "KPU": "an institution's name",
    "Bawaslu": "an institution's name",
    "Panwascam": "an institution's name",
    "KPPS": "an institution's name",
    "PPS": "an institution's name",
    "NPHD": "the grant agreement's official name",
    "Rp": "the currency sign",
    "WIB": "a time zone",
    "WITA": "a time zone",
    "WIT": "a time zone",
    "ID": "a language or area code",
    "EN": "a language code",
    "OK": "the same in both languages",
    "H": "H-7: days before voting day, written the same way",
    "Polri": "an institution's name",
    "TNI": "an institution's name",
    "Linmas": "an institution's name",
    "BKO": "the official term for troops placed under another command",
    "HiGHS": "the solver's name",
    "km": "a unit",
    "sng": "the prefix of every API token",
    "LAPOR": "an SMS keyword, typed the same in every language",
    "UANG": "an SMS keyword, typed the same in every language",
}
# Whole templates left out, with the reason.
ALLOWED_TEMPLATES = {
    "templates/500.html": "shown when anything may be broken, translation included: bilingual text by design",
}
# Filters whose literal argument is shown to the reader (`|default:"semua tingkat"` must be `|default:_("...")`).
IDENTIFIER = re.compile(r"^[\w.-]*[:_][\w.:-]*$")  # a URL name or a code, not prose
SHOWN_ARGUMENT = re.compile(r"""\|(?:default|default_if_none|yesno):(["'])(.*?)\1""")
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
BUTTON_VALUE = {"submit", "button", "reset"}
BLANK = " "  # stands in for a template tag or variable (a space keeps tags parseable)
WORD = re.compile(r"[^\W\d_]{2,}|\b[^\W\d_]\b(?=\s*-)", re.UNICODE)
TRANSLATING = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment", "verbatim": "endverbatim"}


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.replace(BLANK, " ")) if w not in ALLOWED_WORDS]


def _blanked(source: str) -> str:
    """The template's HTML with every tag and variable (and translated block) blanked out."""
    parts: list[str] = []
    closing = None
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            parts.append(BLANK + "\n" * token.contents.count("\n") if token.token_type != TokenType.TEXT else "\n" * token.contents.count("\n"))
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            closing = TRANSLATING.get(token.contents.split()[0]) if token.contents else None
        parts.append(BLANK + "\n" * token.contents.count("\n"))
    return "".join(parts)


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw = 0

    def _note(self, what: str, text: str) -> None:
        words = _words(text)
        if words:
            line = self.getpos()[0] + text[: text.index(words[0])].count("\n")
            self.found.append(f"line {line}: {what} {' '.join(text.split())!r}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._raw += 1
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in ATTRIBUTES or (name == "value" and tag == "input" and (values.get("type") or "") in BUTTON_VALUE):
                self._note(f"<{tag} {name}>", value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._raw -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._raw = max(0, self._raw - 1)

    def handle_data(self, data: str) -> None:
        if not self._raw:
            self._note("text", data)


def _shown_arguments(source: str) -> list[str]:
    found = []
    for token in Lexer(source).tokenize():
        if token.token_type not in (TokenType.VAR, TokenType.BLOCK):
            continue
        for match in SHOWN_ARGUMENT.finditer(token.contents):
            if _words(match.group(2)) and not IDENTIFIER.match(match.group(2)):
                found.append(f"line {token.lineno}: filter argument {match.group(2)!r}")
    return found


def untranslated(source: str) -> list[str]:
    finder = _Finder()
    finder.feed(_blanked(source))
    finder.close()
    return finder.found + _shown_arguments(source)


def test_the_check_finds_what_it_should():
    assert untranslated("<p>Belum ada data.</p>") == ["line 1: text 'Belum ada data.'"]
    assert untranslated('<input type="text" placeholder="Cari">') == ["line 1: <input placeholder> 'Cari'"]
    assert untranslated('<input type="submit" value="Simpan">') == ["line 1: <input value> 'Simpan'"]
    assert untranslated('<span title="urgensi">1</span>') == ["line 1: <span title> 'urgensi'"]
    assert untranslated("<p>\n\n{{ n }} laporan</p>") == ["line 3: text 'laporan'"]
    # Translated, tags, codes and the brand pass.
    assert untranslated('<p title="{% translate \'urgensi\' %}">{% translate "Belum ada data." %}</p>') == []
    assert untranslated("{% blocktranslate with n=n %}{{ n }} laporan{% endblocktranslate %}") == []
    assert untranslated("{% comment %}Catatan{% endcomment %}<b>Sinergi</b> · 12 TPS · H-{{ d }} · – %") == []
    assert untranslated('<input type="hidden" name="next" value="lanjut">') == []
    assert untranslated('<script type="application/json">{"a": "kata"}</script>') == []
    assert untranslated('{{ t.level|default:"semua tingkat" }}') == ["line 1: filter argument 'semua tingkat'"]
    assert untranslated('{{ t.level|default:_("semua tingkat") }} {{ x|default:"–" }}') == []


def test_templates_exist():
    assert any(p.name == "base.html" for p in TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_word_in_a_template_is_translated(template: Path):
    if str(template.relative_to(ROOT)) in ALLOWED_TEMPLATES:
        return
    assert untranslated(template.read_text(encoding="utf-8")) == []
