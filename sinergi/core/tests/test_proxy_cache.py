"""The reverse proxy caches the public pages and nothing else (deploy/nginx/sinergi.conf): the cached
location matches exactly the routes marked `public_page`, drops cookies both ways, fills one request at
a time and serves stale while refreshing; behind a real nginx a second request is a HIT."""

import http.server
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from scripts import topology

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SITE = topology.strip_comments(topology.NGINX_SITE.read_text())


def _locations(text: str) -> dict[str, str]:
    """`location` head -> body, for the TLS server."""
    found = {}
    for match in re.finditer(r"^\s*location\s+([^{]+?)\s*\{(.*?)^\s*\}", text, re.M | re.S):
        found[match[1]] = match[2]
    return found


def _cached_locations() -> dict[str, str]:
    return {head: body for head, body in _locations(SITE).items() if re.search(r"^\s*proxy_cache\s", body, re.M)}


def _routes(patterns=None, prefix: str = ""):
    """(sample path, view) for every route, converters filled with a sample code."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: "1" if m[1] in {"pk", "day"} else "64.02", str(p.pattern)
        )
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern) and not route.startswith("^"):
            yield "/" + route, p.callback


def test_exactly_the_public_pages_are_cached_by_the_proxy():
    (head, _body), *others = _cached_locations().items()
    assert not others, "one cached location"
    pattern = re.compile(head.removeprefix("~").strip())
    public = {path for path, view in _routes() if getattr(view, "public_max_age", None)}
    assert public >= {"/situasi/publik/64.02/", "/partisipasi/publik/64.02/", "/hibah/publik/", "/hibah/publik/64.02/"}
    for path, _view in _routes():
        assert bool(pattern.search(path)) == (path in public), path


def test_the_cached_location_shares_one_copy_and_fills_it_once():
    body = next(iter(_cached_locations().values()))
    directives = {line.split()[0]: line.strip().rstrip(";") for line in body.splitlines() if line.strip()}
    assert directives["proxy_cache_key"].endswith("$request_uri")  # the language is in the address
    assert directives["proxy_cache_lock"] == "proxy_cache_lock on"
    assert "updating" in directives["proxy_cache_use_stale"].split()
    assert directives["proxy_set_header"]  # and the cookie is dropped on the way up and down:
    assert re.search(r'proxy_set_header Cookie "";', body)
    assert "Set-Cookie" in directives["proxy_hide_header"] and "Set-Cookie" in directives["proxy_ignore_headers"]
    assert "proxy_cache_valid" not in directives or "200" not in directives["proxy_cache_valid"]  # the app's max-age
    assert "$upstream_cache_status" in directives["add_header"]


def test_the_rehearsal_keeps_the_proxy_cache_in_its_own_directory(tmp_path):
    text = topology.render_nginx_site(
        topology.NGINX_SITE.read_text(), listen="127.0.0.1:18080", ports={8001: 18001, 8002: 18002}, cache_dir=tmp_path
    )
    assert f"proxy_cache_path {tmp_path} " in text and "/var/lib/nginx" not in text
    assert "keys_zone=sinergi_public:" in text and "proxy_cache sinergi_public;" in text


class _Upstream(http.server.BaseHTTPRequestHandler):
    """Stands for the app: counts requests, says whether a cookie reached it, sets one."""

    seen: list[tuple[str, str]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("Cookie", "")))
        body = f"{self.path} {len(self.seen)}".encode()
        self.send_response(200)
        self.send_header("Cache-Control", "public, max-age=60")
        self.send_header("Set-Cookie", "sessionid=leak")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> tuple[bytes, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": "sessionid=mine"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read(), dict(response.headers)


@pytest.fixture
def behind_nginx():
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    home = Path(tempfile.mkdtemp(prefix="sinergi-nginx-"))
    home.chmod(0o755)  # nginx's workers (nobody) write its temp files and cache below it
    (home / "tmp").mkdir(mode=0o777)
    port = _free_port()
    ports = {p: upstream.server_address[1] for _, p in topology.upstream_servers(topology.NGINX_SITE.read_text())}
    site = home / "site.conf"
    site.write_text(
        topology.render_nginx_site(
            topology.NGINX_SITE.read_text(), listen=f"127.0.0.1:{port}", ports=ports, cache_dir=home / "cache"
        )
    )
    main = home / "nginx.conf"
    main.write_text(topology.render_nginx_main(site, home))
    checked = subprocess.run([NGINX, "-t", "-c", str(main)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([NGINX, "-c", str(main)], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        _Upstream.seen = []
        yield port
    finally:
        nginx.terminate()
        nginx.wait(10)
        upstream.shutdown()
        shutil.rmtree(home, ignore_errors=True)


def test_behind_nginx_a_public_page_is_filled_once_and_nothing_else_is_kept(behind_nginx):
    first, first_headers = _get(behind_nginx, "/situasi/publik/ID/?bahasa=en")
    again, headers = _get(behind_nginx, "/situasi/publik/ID/?bahasa=en")
    assert first_headers["X-Cache-Status"] == "MISS" and headers["X-Cache-Status"] == "HIT" and again == first
    assert "Set-Cookie" not in first_headers and "Set-Cookie" not in headers
    _get(behind_nginx, "/situasi/publik/ID/")  # another address (language): its own copy
    room = [_get(behind_nginx, "/situasi/ID/") for _ in range(2)]
    assert all("X-Cache-Status" not in h and "Set-Cookie" in h for _, h in room)  # signed-in pages pass through
    assert _Upstream.seen == [
        ("/situasi/publik/ID/?bahasa=en", ""),  # no session reached the app for the public page
        ("/situasi/publik/ID/", ""),
        ("/situasi/ID/", "sessionid=mine"),
        ("/situasi/ID/", "sessionid=mine"),
    ]
