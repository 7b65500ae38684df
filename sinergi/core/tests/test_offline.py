"""Everything runs offline: no page may load a script, style or image from another host."""

import re
from pathlib import Path

import pytest

from sinergi.conftest import client_for

PACKAGE = Path(__file__).resolve().parents[2]
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""")


def test_no_template_loads_anything_from_another_host():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.glob("**/templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if EXTERNAL.search(line)
    ]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/docs", "/wilayah/64.02/", "/akun/profil/"])
def test_rendered_pages_use_only_local_assets(personas, url):
    page = client_for(personas.national_admin).get(url)
    assert page.status_code == 200
    assert not EXTERNAL.search(page.content.decode())
