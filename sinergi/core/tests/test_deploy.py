"""The files in deploy/ agree with each other and with the code (fast; the whole topology is
rehearsed by scripts/rehearse.sh, which is too long for CI).

The test reads them through scripts/topology.py, the same functions the rehearsal renders them with.
"""

import importlib
import importlib.util
import ipaddress
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import get_commands, load_command_class
from django.test import RequestFactory, override_settings

from sinergi.core.clients import client_address

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("sinergi_topology", ROOT / "scripts" / "topology.py")
assert _spec is not None and _spec.loader is not None
topology = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(topology)

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
ENV = topology.read_env()
UPSTREAMS = topology.upstream_servers(topology.NGINX_SITE.read_text())


def test_env_example_selects_pgbouncer_transaction_mode_in_the_settings(monkeypatch):
    settings_module = importlib.import_module("sinergi.settings")
    for key in ("DATABASE_URL", "SINERGI_PGBOUNCER", "SINERGI_CONN_MAX_AGE"):
        monkeypatch.setenv(key, ENV[key])
    database = settings_module._database()
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["OPTIONS"]["prepare_threshold"] is None
    assert database["CONN_MAX_AGE"] == int(ENV["SINERGI_CONN_MAX_AGE"])
    monkeypatch.setenv("SINERGI_PGBOUNCER", "")
    assert not settings_module._database().get("DISABLE_SERVER_SIDE_CURSORS")
    monkeypatch.setenv("SINERGI_PGBOUNCER", "session")
    with pytest.raises(Exception, match="SINERGI_PGBOUNCER"):
        settings_module._database()


def test_pgbouncer_config_parses_and_matches_the_database_url():
    config = topology.read_pgbouncer(topology.PGBOUNCER_INI.read_text())
    bouncer = config["pgbouncer"]
    url = urlsplit(ENV["DATABASE_URL"])
    assert bouncer["pool_mode"] == "transaction"
    assert (bouncer["listen_addr"], int(bouncer["listen_port"])) == (url.hostname, url.port)
    alias = url.path.lstrip("/")
    assert alias in config["databases"], f"DATABASE_URL names {alias!r}, PgBouncer serves {list(config['databases'])}"
    target = dict(part.split("=", 1) for part in config["databases"][alias].split())
    assert int(target["port"]) == 5432 and target["dbname"]
    for key in ("max_client_conn", "default_pool_size", "reserve_pool_size", "server_idle_timeout"):
        assert int(bouncer[key]) > 0, key
    # the app's client connections fit: instances x processes x threads, the workers, a margin
    app_threads = len(UPSTREAMS) * int(ENV["SINERGI_APP_PROCESSES"]) * int(ENV["SINERGI_APP_THREADS"])
    assert int(bouncer["max_client_conn"]) >= 2 * (app_threads + 2)
    assert bouncer["auth_type"] in ("scram-sha-256", "md5") and bouncer["auth_file"]
    rendered = topology.read_pgbouncer(
        topology.render_pgbouncer(
            topology.PGBOUNCER_INI.read_text(),
            port=16432,
            databases={"a": "a", "b": "b"},
            auth_file=Path("/tmp/u"),
            workdir=Path("/tmp/w"),
        )
    )
    assert rendered["pgbouncer"]["pool_mode"] == "transaction" and rendered["pgbouncer"]["listen_port"] == "16432"
    assert "dbname=b" in rendered["databases"]["b"] and "host=127.0.0.1" in rendered["databases"]["b"]


def test_app_unit_runs_gunicorn_on_the_nginx_upstreams_with_valid_options():
    from gunicorn.config import Config

    unit = topology.read_unit(topology.APP_UNIT)
    assert unit["Service"]["EnvironmentFile"] == "/etc/sinergi/sinergi.env"
    assert unit["Service"]["Restart"] == "always"
    for host, port in UPSTREAMS:
        argv = topology.exec_start(topology.APP_UNIT, ENV, str(port), venv_bin=str(Path(sys.executable).parent))
        assert Path(argv[0]).name == "gunicorn" and Path(argv[0]).exists(), argv[0]
        options = Config().parser().parse_args(argv[1:])
        assert options.bind == [f"{host}:{port}"]
        assert options.workers == int(ENV["SINERGI_APP_PROCESSES"]) and options.threads == int(
            ENV["SINERGI_APP_THREADS"]
        )
        # gunicorn keeps an idle connection longer than nginx does, so nginx never sends on a closing one
        upstream_idle = re.search(r"keepalive_timeout\s+(\d+)s;", topology.NGINX_SITE.read_text())
        assert upstream_idle and options.keepalive > int(upstream_idle.group(1))
        module, _, attribute = options.args[0].partition(":")
        assert callable(getattr(importlib.import_module(module), attribute))


def _app_options():
    from gunicorn.config import Config

    argv = topology.exec_start(topology.APP_UNIT, ENV, "8001", venv_bin=str(Path(sys.executable).parent))
    return Config().parser().parse_args(argv[1:])


def test_app_unit_does_not_recycle_all_workers_together():
    """docs/deploy.md "Worker recycling": recycling by request count restarts every worker at about the
    same moment (they share the load evenly), and the burst stalls on their boots. Off, or spread out."""
    options = _app_options()
    if options.max_requests:
        assert options.max_requests_jitter >= options.max_requests, (
            f"--max-requests {options.max_requests} with --max-requests-jitter {options.max_requests_jitter}: "
            "the workers recycle together (docs/deploy.md, Worker recycling)"
        )


def test_app_unit_reload_is_a_graceful_hup_that_loads_new_code():
    unit = topology.read_unit(topology.APP_UNIT)["Service"]
    assert unit["ExecReload"] == "/bin/kill -s HUP $MAINPID"
    options = _app_options()
    # with --preload the master holds the code, and a HUP would start new workers on the old code
    assert not options.preload_app
    # systemd's stop waits for gunicorn's graceful stop before it kills
    assert 0 < options.graceful_timeout < float(unit["TimeoutStopSec"].rstrip("s"))
    assert options.timeout > 0


def test_worker_unit_runs_the_sinergi_worker_command():
    unit = topology.read_unit(topology.WORKER_UNIT)
    assert unit["Service"]["EnvironmentFile"] == "/etc/sinergi/sinergi.env"
    argv = topology.exec_start(topology.WORKER_UNIT, ENV, "1", venv_bin=str(Path(sys.executable).parent), hostname="h")
    assert Path(argv[0]).name == "sinergi" and Path(argv[0]).exists(), argv[0]
    name, args = argv[1], argv[2:]
    assert name == "worker"
    parser = load_command_class(get_commands()[name], name).create_parser("sinergi", name)
    # (not parse_args: the tests run tasks with the immediate backend, which --backend would refuse)
    flags = [arg.split("=", 1)[0] for arg in args if arg.startswith("--")]
    assert flags and all(flag in parser._option_string_actions for flag in flags), flags
    assert args[args.index("--worker-id") + 1] == "h-worker-1"  # one heartbeat row per unit across restarts


def test_trusted_proxies_are_exactly_the_address_nginx_connects_from():
    trusted = [ipaddress.ip_network(p.strip(), strict=False) for p in ENV["SINERGI_TRUSTED_PROXIES"].split(",")]
    for host, _port in UPSTREAMS:
        # nginx reaches a loopback upstream from the loopback address itself
        assert any(ipaddress.ip_address(host) in net for net in trusted), f"nginx's address {host} is not trusted"
    for client in ("127.0.0.2", "10.20.30.40", "203.0.113.5"):  # rehearsal phones, an office, the internet
        assert not any(ipaddress.ip_address(client) in net for net in trusted), f"{client} would be trusted"
    site = topology.strip_comments(topology.NGINX_SITE.read_text())
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "proxy_set_header X-Real-IP $remote_addr;" in site
    # what the app then makes of nginx's header: the client, however it forged the header
    request = RequestFactory().get("/", REMOTE_ADDR=UPSTREAMS[0][0], HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    with override_settings(SINERGI_TRUSTED_PROXIES=ENV["SINERGI_TRUSTED_PROXIES"].split(",")):
        assert client_address(request) == "203.0.113.5"


@pytest.fixture
def nginx_conf(tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light) so `nginx -t` cannot run")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    selfsigned = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    selfsigned += ["-days", "1", "-subj", "/CN=sinergi.example.go.id", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(selfsigned, check=True, capture_output=True)
    (tmp_path / "tmp").mkdir()

    def write(site_text: str) -> Path:
        site = tmp_path / "site.conf"
        site.write_text(site_text)
        main = tmp_path / "nginx.conf"
        main.write_text(topology.render_nginx_main(site, tmp_path))
        return main

    return write, cert, key, NGINX


def test_nginx_site_passes_nginx_t(nginx_conf):
    write, cert, key, nginx = nginx_conf
    text = topology.NGINX_SITE.read_text()
    text = text.replace("/etc/letsencrypt/live/sinergi.example.go.id/fullchain.pem", str(cert))
    text = text.replace("/etc/letsencrypt/live/sinergi.example.go.id/privkey.pem", str(key))
    result = subprocess.run([nginx, "-t", "-c", str(write(text))], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_rehearsal_rendering_of_the_site_passes_nginx_t(nginx_conf):
    write, _, _, nginx = nginx_conf
    text = topology.render_nginx_site(
        topology.NGINX_SITE.read_text(), listen="127.0.0.1:18080", ports={p: 10_000 + p for _, p in UPSTREAMS}
    )
    assert "ssl_" not in text and "listen 80" not in text and "return 301" not in text
    assert all(f"127.0.0.1:{10_000 + p}" in text for _, p in UPSTREAMS)
    result = subprocess.run([nginx, "-t", "-c", str(write(text))], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
