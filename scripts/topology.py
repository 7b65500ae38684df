"""Reading the files in deploy/ and rendering them for a rehearsal on loopback (stdlib only).

The rehearsal (scripts/rehearse.py) and the consistency test (sinergi/core/tests/test_deploy.py)
both read the production files through these functions, so what is rehearsed and what is checked is
what a regency's IT staff install: the same gunicorn and worker command lines (from the systemd
units' ExecStart, with the environment file's values), the same nginx site (its TLS lines replaced
by a plain loopback listener), the same PgBouncer settings (paths and ports moved into a temp dir).
"""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "sinergi.env.example"
APP_UNIT = DEPLOY / "systemd" / "sinergi-app@.service"
WORKER_UNIT = DEPLOY / "systemd" / "sinergi-worker@.service"
NGINX_SITE = DEPLOY / "nginx" / "sinergi.conf"
PGBOUNCER_INI = DEPLOY / "pgbouncer" / "pgbouncer.ini"
PROD_VENV_BIN = "/opt/sinergi/venv/bin/"


def read_env(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """KEY=VALUE lines of a systemd EnvironmentFile (comments and blank lines skipped)."""
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ValueError(f"{path.name}: not KEY=VALUE: {line!r}")
        env[key.strip()] = value.strip().strip('"')
    return env


def read_unit(path: Path) -> dict[str, dict[str, str]]:
    """A systemd unit as {section: {key: value}} (the last assignment wins)."""
    sections: dict[str, dict[str, str]] = {}
    current = None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        if current is None:
            raise ValueError(f"{path.name}: {line!r} outside a section")
        key, _, value = line.partition("=")
        current[key.strip()] = value.strip()
    return sections


def expand(text: str, env: dict[str, str], instance: str, hostname: str) -> str:
    """systemd's specifiers (%i, %H, %%) and ${VAR}/$VAR from the environment file."""
    text = text.replace("%i", instance).replace("%H", hostname).replace("%%", "%")

    def var(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        if name not in env:
            raise KeyError(f"${name} is not set in the environment file")
        return env[name]

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", var, text)


def exec_start(
    unit: Path, env: dict[str, str], instance: str, *, venv_bin: str = PROD_VENV_BIN, hostname: str = "host"
) -> list[str]:
    """The unit's ExecStart as an argv, with the production venv path replaced by `venv_bin`."""
    argv = shlex.split(expand(read_unit(unit)["Service"]["ExecStart"], env, instance, hostname))
    if argv[0].startswith(PROD_VENV_BIN):
        argv[0] = str(Path(venv_bin) / argv[0][len(PROD_VENV_BIN) :])
    return argv


def restart_seconds(unit: Path) -> float:
    value = read_unit(unit)["Service"].get("RestartSec", "0.1")
    return float(value.rstrip("s"))


# --- nginx ---------------------------------------------------------------------------------------


def top_level_blocks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, head) of each top-level `head { ... }` block (comments stripped first)."""
    blocks, depth, start, head_start = [], 0, 0, 0
    for i, char in enumerate(text):
        if char == "{":
            if depth == 0:
                start = head_start
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks.append((start, i + 1, text[start : text.index("{", start)].strip()))
                head_start = i + 1
        elif char in ";\n" and depth == 0:
            head_start = i + 1
    return blocks


def strip_comments(text: str) -> str:
    return "\n".join(line.split("#", 1)[0].rstrip() for line in text.splitlines())


def upstream_servers(text: str, name: str = "sinergi_app") -> list[tuple[str, int]]:
    """(host, port) of the servers of `upstream name`."""
    text = strip_comments(text)
    for start, end, head in top_level_blocks(text):
        if head == f"upstream {name}":
            return [(h, int(p)) for h, p in re.findall(r"^\s*server\s+([\w.\[\]:]+?):(\d+)\b", text[start:end], re.M)]
    raise ValueError(f"no upstream {name} in the nginx site")


def render_nginx_site(text: str, *, listen: str, ports: dict[int, int], cache_dir: Path | None = None) -> str:
    """The TLS server of the site on a plain listener, without the port-80 redirect server and
    with the upstream ports moved (production port -> rehearsal port); the public pages' proxy cache
    (`proxy_cache_path`) kept, in `cache_dir` when given."""
    text = strip_comments(text)
    out = []
    for match in re.finditer(r"^proxy_cache_path\s+(\S+)([^;]*;)", text, re.M):
        out.append(f"proxy_cache_path {cache_dir or match[1]}{match[2]}")
    for start, end, head in top_level_blocks(text):
        block = text[start:end]
        if head == "server" and not re.search(r"^\s*listen\s+[^;]*443", block, re.M):
            continue  # the port-80 redirect
        if head == "server":
            lines, listened = [], False
            for line in block.splitlines():
                stripped = line.strip()
                if stripped.startswith("listen "):
                    if not listened:
                        lines.append(f"    listen {listen} default_server;")
                        listened = True
                    continue
                if stripped.startswith("ssl_"):
                    continue
                lines.append(line)
            block = "\n".join(lines)
        if head.startswith("upstream "):
            for prod, rehearsal in ports.items():
                block = re.sub(rf":{prod}\b", f":{rehearsal}", block)
        out.append(block)
    return "\n\n".join(out) + "\n"


def render_nginx_main(site: Path, workdir: Path) -> str:
    """A whole nginx.conf around the site, everything it writes under `workdir`."""
    return f"""daemon off;
worker_processes auto;  # as in Debian's nginx.conf
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 8192; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {workdir}/nginx-access.log combined buffer=256k flush=5s;
    client_body_temp_path {workdir}/tmp/body;
    proxy_temp_path {workdir}/tmp/proxy;
    fastcgi_temp_path {workdir}/tmp/fastcgi;
    uwsgi_temp_path {workdir}/tmp/uwsgi;
    scgi_temp_path {workdir}/tmp/scgi;
    include {site};
}}
"""


# --- PgBouncer -----------------------------------------------------------------------------------


def read_pgbouncer(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=(";", "#"), inline_comment_prefixes=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # database names keep their case
    parser.read_string(text)
    return parser


def render_pgbouncer(text: str, *, port: int, databases: dict[str, str], auth_file: Path, workdir: Path) -> str:
    """The production settings, with its own port, databases (alias -> dbname), files and socket dir."""
    parser = read_pgbouncer(text)
    template = next(iter(parser["databases"].values()))
    for alias in list(parser["databases"]):
        parser.remove_option("databases", alias)
    for alias, dbname in databases.items():
        parser["databases"][alias] = re.sub(r"dbname=\S+", f"dbname={dbname}", template)
    section = parser["pgbouncer"]
    section["listen_port"] = str(port)
    section["auth_file"] = str(auth_file)
    section["unix_socket_dir"] = str(workdir)
    section["logfile"] = str(workdir / "pgbouncer.log")
    section["pidfile"] = str(workdir / "pgbouncer.pid")
    lines = []
    for name in parser.sections():
        lines.append(f"[{name}]")
        lines += [f"{key} = {value}" for key, value in parser[name].items()]
        lines.append("")
    return "\n".join(lines)
