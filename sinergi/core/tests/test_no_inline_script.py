"""The Content-Security-Policy allows no inline script (`script-src 'self'`), so no template may
carry one: every `<script>` loads a file (`src=`) or is a JSON data block (`json_script`,
`type="application/json"`), and no tag has an `on...=` handler or a `javascript:` URL. A template
that breaks this would silently stop working in the browser under the policy."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the sinergi package
TEMPLATES = sorted(p for p in ROOT.rglob("*.html") if "templates" in p.parts)

TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
HANDLER = re.compile(r"(?:^|\s)(on[a-z]+)\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
DATA_TYPE = re.compile(r"""\btype\s*=\s*["']application/(?:ld\+)?json["']""", re.I)
SRC = re.compile(r"(?:^|\s)src\s*=", re.I)


def offences(text: str) -> list[str]:
    found = []
    for match in TAG.finditer(text):
        name, attrs = match.group(1).lower(), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        if name == "script" and not SRC.search(attrs) and not DATA_TYPE.search(attrs):
            found.append(f"line {line}: inline <script>")
        handler = HANDLER.search(attrs)
        if handler:
            found.append(f"line {line}: {handler.group(1)}= handler on <{name}>")
        if JS_URL.search(attrs):
            found.append(f"line {line}: javascript: URL on <{name}>")
    return found


def test_the_checker_finds_what_it_should():
    assert offences("<script>alert(1)</script>") == ["line 1: inline <script>"]
    assert offences('<button type="button"\n onclick="go()">') == ["line 1: onclick= handler on <button>"]
    assert offences('<a href="javascript:void(0)">') == ["line 1: javascript: URL on <a>"]
    assert offences('<script src="{% static \'x.js\' %}" defer></script>') == []
    assert offences('<script type="application/json" id="d">{"a": 1}</script>') == []
    assert offences('<p data-once="x" class="monitor">Pemantauan online=ya</p>') == []


def test_templates_exist():
    assert any(p.name == "base.html" for p in TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script(template: Path):
    assert offences(template.read_text(encoding="utf-8")) == []
