"""First-load bytes of the heaviest pages (the maps), before and after the boundaries were simplified.

    python benchmarks/page_weight.py [--database-url URL]

Loads the demo's areas (the national tree and the shipped boundaries), then, for the national,
Kaltim and Kukar situation rooms and the area browser, adds up what a browser downloads on a first
visit: the page, its CSS and JS (read from the page's <link>/<script> tags) and the map's
boundaries (the URL the page's script fetches). Three columns, all in the same run:

- before: the raw stored boundaries, nothing compressed (what the pages sent before issue 12);
- raw + gzip: the raw boundaries, compressed as they are served now;
- after: the simplified boundaries (`areas.simplify`), compressed: what is served now.

Bytes, not times: deterministic, so no repeat is needed.
"""

import argparse
import gzip
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import setup_django  # noqa: E402

PAGES = [
    ("national room", "/situasi/ID/", "ID"),
    ("Kaltim room", "/situasi/64/", "64"),
    ("Kukar room", "/situasi/64.02/", "64.02"),
    ("area browser, Kaltim", "/wilayah/64/", "64"),
]
ASSET = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*rel="stylesheet"[^>]*\bhref)="([^"]+)"')


def load_areas() -> Any:
    import io

    from django.core.management.base import OutputWrapper

    from sinergi.accounts.models import User
    from sinergi.areas import demo as areas_demo
    from sinergi.core.demo_context import DemoContext

    areas_demo.load(DemoContext(stdout=OutputWrapper(io.StringIO())))
    return User.objects.create_superuser("bench.admin", password="bench-password-123")


def body(response: object) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


def fetch(client: object, url: str) -> tuple[int, int]:
    """(uncompressed bytes, bytes on the wire with gzip) of one response."""
    plain = body(client.get(url))  # type: ignore[attr-defined]
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")  # type: ignore[attr-defined]
    wire = body(response)
    if response.get("Content-Encoding") != "gzip":  # static files in production are precompressed
        wire = gzip.compress(wire, 6)
    return len(plain), len(wire)


def measure(client: object, user: object, url: str, code: str) -> dict[str, int]:
    from sinergi.areas.models import Area
    from sinergi.atlas.selectors import children_geojson

    html = body(client.get(url)).decode()  # type: ignore[attr-defined]
    page_plain, page_wire = fetch(client, url)
    assets = [fetch(client, asset) for asset in dict.fromkeys(ASSET.findall(html))]
    after_plain, after_wire = fetch(client, f"/api/v1/areas/{code}/boundaries?children=true")
    raw = children_geojson(user, Area.objects.get(pk=code), raw=True).encode()
    shell_plain = page_plain + sum(a[0] for a in assets)
    shell_wire = page_wire + sum(a[1] for a in assets)
    return {
        "before": shell_plain + len(raw),
        "raw_gzip": shell_wire + len(gzip.compress(raw, 6)),
        "after": shell_wire + after_wire,
        "raw_boundaries": len(raw),
        "boundaries": after_plain,
        "boundaries_wire": after_wire,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(args.database_url or f"sqlite:///{folder}/bench.sqlite3")
        from django.test import Client

        user = load_areas()
        client = Client()
        client.force_login(user)
        print(
            f"{'page':24} {'before':>11} {'raw+gzip':>11} {'after':>10} {'ratio':>6}   boundaries raw -> simplified (gzip)"
        )
        for name, url, code in PAGES:
            m = measure(client, user, url, code)
            print(
                f"{name:24} {m['before'] / 1000:9.1f} kB {m['raw_gzip'] / 1000:9.1f} kB {m['after'] / 1000:8.1f} kB"
                f" {m['before'] / m['after']:5.1f}x   {m['raw_boundaries'] / 1000:.0f} kB -> {m['boundaries'] / 1000:.0f} kB"
                f" ({m['boundaries_wire'] / 1000:.1f} kB)"
            )


if __name__ == "__main__":
    main()
