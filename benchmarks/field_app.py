"""The field app on a slow phone: first-load and per-action bytes, and time to interactive under
Chromium's slow 3G profile with a 4x slower CPU, against a bare HTML page of the same server in the
same run.

    python benchmarks/field_app.py [--rounds 5] [--chromium /usr/bin/chromium]

Builds a SQLite database of its own with the demo's areas (Kukar's 1,447 TPS with coordinates), the
demo users, Kukar's election and the field demo (ptps.tenggarong, an open checklist round), serves the
project's WSGI app on 127.0.0.1 (text gzipped as in production: Django's GZipMiddleware, and static
files, which whitenoise precompresses in production, gzipped here), and drives Chromium through Playwright with CDP throttling:

- network: 400 ms round trip, 400 kbit/s down and up (Lighthouse's "slow 3G"); CPU: 4x slowdown;
- bare: `/bench/bare.html` from the same server (a few hundred bytes): time to its load event;
- field app, first visit (empty cache, no service worker): time until the app is usable (the
  `field-ready` performance mark: shell, script, reference data and forms built);
- field app, repeat visit (service worker installed), and offline (no network at all);
- bytes, counted by the server: what it sent for a first visit (the worker's precache included), for a
  one-kelurahan login and a whole-regency one, and for one action of each kind (turnout, incident with
  its resized photo, checklist): the request body the phone sent and the response it got.

Rounds alternate bare and app so machine noise hits both alike; medians are reported.
"""

import argparse
import gzip
import io
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import setup_django  # noqa: E402

PASSWORD = "sinergi-demo-2024"
USER = "ptps.tenggarong"
REGENCY_USER = "bawaslu.kukar"  # a login over all of Kukar: the phone caches all 1,447 TPS
BARE = b"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>bare</title></head><body><p>ok</p></body></html>"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1024 / 8, "uploadThroughput": 400 * 1024 / 8}
CPU_SLOWDOWN = 4
# (path, request body bytes, response body bytes as sent) of every response the server gave
TRAFFIC: list[tuple[str, int, int]] = []
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/manifest+json")


def build() -> None:
    from django.core.management.base import OutputWrapper

    from sinergi.accounts import demo as accounts_demo
    from sinergi.areas import demo as areas_demo
    from sinergi.areas.models import Election
    from sinergi.core.demo_context import DemoContext
    from sinergi.field import demo as field_demo
    from sinergi.turnout.setup import election_prepare

    context = DemoContext(stdout=OutputWrapper(io.StringIO()))
    areas_demo.load(context)
    accounts_demo.load(context)
    election_prepare(Election.objects.get(slug="pilbup-kukar-2024"))
    field_demo.load(context)


def gzip_app(app):
    """Compress text responses for clients that accept gzip, unless Django's GZipMiddleware did (whitenoise
    skips its files in demo mode; in production they are precompressed)."""

    def wrapped(environ, start_response):
        if environ.get("PATH_INFO") == "/bench/bare.html":
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BARE)))])
            return [BARE]
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(app(environ, capture))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        encoded = any(k.lower() == "content-encoding" for k, _ in headers)  # GZipMiddleware already did it
        if (
            not encoded
            and "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
            and kind.startswith(COMPRESSIBLE)
            and len(body) > 200
        ):
            body = gzip.compress(body, 6)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        TRAFFIC.append((environ.get("PATH_INFO", ""), int(environ.get("CONTENT_LENGTH") or 0), len(body)))
        return [body]

    return wrapped


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve() -> tuple[str, ThreadingServer]:
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", 0, gzip_app(get_wsgi_application()), ThreadingServer, QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


class Wire:
    """Bytes the server received (request bodies) and sent (response bodies, compressed as sent), counted
    by the server itself: it sees the page's and the service worker's requests alike, photos included."""

    def __init__(self) -> None:
        self.mark = len(TRAFFIC)

    def take(self) -> tuple[int, int]:
        window, self.mark = TRAFFIC[self.mark :], len(TRAFFIC)
        return sum(sent for _, sent, _ in window), sum(received for _, _, received in window)


def throttled(context, offline: bool = False):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": offline})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.set_viewport_size({"width": 360, "height": 740})
    page.set_default_timeout(60_000)
    return page, cdp


def bare_tti(browser, base: str) -> float:
    context = browser.new_context(base_url=base)
    page, _ = throttled(context)
    page.goto("/bench/bare.html", wait_until="load")
    value = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    context.close()
    return float(value)


def app_ready(page) -> float:
    page.wait_for_selector("body.ready")
    return float(page.evaluate("() => performance.getEntriesByName('field-ready')[0].startTime"))


def first_visit_bytes(browser, base: str, state: dict) -> int:
    """Everything the server sends for a first visit, the worker's precache included."""
    context = browser.new_context(base_url=base, storage_state=state)
    page = context.new_page()
    wire = Wire()
    page.goto("/lapangan/")
    app_ready(page)
    page.evaluate("async () => { await navigator.serviceWorker.ready; return true; }")
    page.wait_for_timeout(2000)
    context.close()
    return wire.take()[1]


def app_tti(browser, base: str, state: dict) -> tuple[float, float, float, int]:
    """First visit, repeat visit (service worker), offline visit; and the first visit's bytes."""
    context = browser.new_context(base_url=base, storage_state=state)
    page, _ = throttled(context)
    wire = Wire()
    page.goto("/lapangan/")
    first = app_ready(page)
    page.evaluate("async () => { await navigator.serviceWorker.ready; return true; }")
    page.wait_for_timeout(3000)  # let the worker finish caching
    _, first_bytes = wire.take()
    page.close()
    page, _ = throttled(context)
    page.goto("/lapangan/")
    repeat = app_ready(page)
    page.close()
    context.set_offline(True)
    page, _ = throttled(context, offline=True)
    page.goto("/lapangan/")
    offline = app_ready(page)
    context.close()
    return first, repeat, offline, first_bytes


def photo() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (3000, 2250), "skyblue")
    image.paste(Image.new("RGB", (900, 700), "darkgreen"), (700, 500))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def action_bytes(browser, base: str, state: dict) -> dict[str, tuple[int, int]]:
    context = browser.new_context(base_url=base, storage_state=state)
    page, _ = throttled(context)
    page.goto("/lapangan/")
    app_ready(page)
    page.evaluate("async () => { await navigator.serviceWorker.ready; return true; }")
    page.wait_for_timeout(3000)
    wire = Wire()
    results = {}

    def settle(kind: str, count: int) -> None:
        page.locator("#receipts li[data-state=stored], #receipts li[data-state=flagged]").nth(count - 1).wait_for()
        results[kind] = wire.take()

    page.goto("/lapangan/#partisipasi")
    app_ready(page)
    wire.take()  # the page itself (from the worker's cache) is not the action
    page.fill("#form-turnout input[name=voters]", "85")
    page.click("#form-turnout button.send")
    settle("turnout", 1)
    page.goto("/lapangan/#kejadian")
    app_ready(page)
    wire.take()
    page.select_option("#form-incident select[name=category]", "politik-uang")
    page.fill("#form-incident textarea[name=description]", "Ada pembagian amplop di dekat TPS pagi ini")
    page.set_input_files(
        "#form-incident input[name=photo]", {"name": "k.jpg", "mimeType": "image/jpeg", "buffer": photo()}
    )
    page.wait_for_selector("#form-incident .photo-note:not([hidden])")
    page.click("#form-incident button.send")
    settle("incident + photo", 2)
    page.goto("/lapangan/#periksa")
    app_ready(page)
    wire.take()
    page.locator("#form-checklist .q input[type=checkbox]").first.check()
    page.click("#form-checklist button.send")
    settle("checklist", 3)
    context.close()
    return results


def login_state(browser, base: str, username: str = USER) -> dict:
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(".login button[type=submit]")
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)
    state = context.storage_state()
    context.close()
    return state


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sinergi-bench-field-")
    started = time.perf_counter()
    setup_django(f"sqlite:///{folder}/bench.sqlite3", SINERGI_DEMO="1")
    build()
    print(f"data: {time.perf_counter() - started:.0f} s (Kukar areas, 1,447 TPS, demo users, field demo)")
    base, server = serve()
    from playwright.sync_api import sync_playwright

    from sinergi.conftest import CHROMIUM_FLAGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_FLAGS, headless=True)
        state = login_state(browser, base)
        regency = first_visit_bytes(browser, base, login_state(browser, base, REGENCY_USER))
        bare, first, repeat, offline, first_bytes = [], [], [], [], []
        for _ in range(args.rounds):
            bare.append(bare_tti(browser, base))
            f, r, o, b = app_tti(browser, base, state)
            first.append(f)
            repeat.append(r)
            offline.append(o)
            first_bytes.append(b)
        actions = action_bytes(browser, base, state)
        browser.close()
    server.shutdown()

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values):,.0f} ms"

    b = statistics.median(bare)
    print(f"\nslow 3G (400 ms RTT, 400 kbit/s) + {CPU_SLOWDOWN}x CPU, {args.rounds} rounds, medians")
    print(f"{'bare HTML page (load event)':44} {ms(bare):>10}")
    for label, values in (("field app, first visit (usable)", first), ("field app, repeat visit (worker)", repeat)):
        print(f"{label:44} {ms(values):>10}  ({statistics.median(values) / b:.1f}x bare)")
    print(f"{'field app, offline visit (worker)':44} {ms(offline):>10}  ({statistics.median(offline) / b:.1f}x bare)")
    print("\nfirst visit, bytes sent by the server (the worker's precache included), budget 150 KB:")
    print(f"  {USER} (one kelurahan, 55 TPS): {statistics.median(first_bytes) / 1024:.1f} KB")
    print(f"  {REGENCY_USER} (all of Kukar, 1,447 TPS): {regency / 1024:.1f} KB")
    for kind, (sent, received) in actions.items():
        print(f"action {kind:28} phone sent {sent / 1024:6.1f} KB, server answered {received / 1024:5.1f} KB")


if __name__ == "__main__":
    main()
