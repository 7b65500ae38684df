"""Open-loop load: requests at a fixed arrival rate, whatever the server answers.

A closed loop (N clients, each sending its next request when the last one came back) slows down with
the server and hides a queue; field phones do not wait for each other. Here request i is due at
`start + i / rate` and is sent then, and its latency is counted from that due time (so a stalled
client never hides a slow server). Every simulated phone connects from its own loopback address
(127.0.x.y, never 127.0.0.1, the proxy's own address), so throttles keyed on the client address see
different clients, as they would behind nginx in production.

Used by scripts/rehearse.py through nginx; on its own against any running Sinergi:

    python benchmarks/open_loop.py --base http://127.0.0.1:18080 --token sng_... --election gladi-nasional \
        --tps-file tps.txt [--rates 25,50,100,150,200] [--seconds 8]

steps the rate for the no-op endpoint and for single turnout reports (interleaved, same stack, same
run), prints p50/p99/errors per step, the highest rate with p99 < 1 s for each and their ratio.
`tps.txt` holds one TPS code per line (each is used once per checkpoint).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

P99_LIMIT = 1.0  # seconds
ERROR_LIMIT = 0.001  # share of requests that may fail in a passing step
TIMEOUT = 10.0  # a phone gives up on one attempt after this long


def phone_address(i: int) -> str:
    """The loopback source address of phone i: 127.0.x.y with y >= 2 (127.0.0.1 is the proxy's)."""
    return f"127.0.{(i // 250) % 250}.{i % 250 + 2}"


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, list[str]] = field(default_factory=dict)  # lower-case names

    def cookie(self, name: str) -> str:
        for value in self.headers.get("set-cookie", []):
            key, _, rest = value.partition("=")
            if key.strip() == name:
                return rest.split(";", 1)[0]
        return ""


async def http(
    host: str,
    port: int,
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    source: str | None = None,
    timeout: float = TIMEOUT,
) -> Answer:
    """One HTTP/1.1 request on its own connection (Connection: close), from `source`."""

    async def exchange() -> Answer:
        reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0) if source else None)
        try:
            lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
            lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
            if body or method in ("POST", "PUT", "PATCH"):
                lines.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            raw = await reader.read(-1)
        finally:
            writer.close()
        head, _, rest = raw.partition(b"\r\n\r\n")
        first, *header_lines = head.decode("latin-1").split("\r\n")
        status_line = first.split()
        if len(status_line) < 2:
            raise ConnectionError("no HTTP answer")
        received: dict[str, list[str]] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            received.setdefault(name.strip().lower(), []).append(value.strip())
        if "chunked" in received.get("transfer-encoding", [""])[0].lower():
            rest = _unchunk(rest)
        return Answer(int(status_line[1]), rest, received)

    return await asyncio.wait_for(exchange(), timeout)


def _unchunk(data: bytes) -> bytes:
    out, pos = bytearray(), 0
    while pos < len(data):
        end = data.index(b"\r\n", pos)
        size = int(data[pos:end].split(b";")[0], 16)
        if size == 0:
            break
        out += data[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2
    return bytes(out)


@dataclass
class Sample:
    due: float  # seconds since the run started
    latency: float  # first attempt, from its due time
    status: int  # first attempt's status (0: no answer)
    final_status: int  # after the phone's retries
    attempts: int
    done: float  # seconds since the run started when the last attempt finished


@dataclass
class Step:
    name: str
    rate: float
    seconds: float
    samples: list[Sample] = field(default_factory=list)

    def latencies(self) -> list[float]:
        return sorted(s.latency for s in self.samples)

    def percentile(self, q: float) -> float:
        values = self.latencies()
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if not ok(s.status))

    def error_kinds(self) -> str:
        kinds: dict[int, int] = {}
        for sample in self.samples:
            if not ok(sample.status):
                kinds[sample.status] = kinds.get(sample.status, 0) + 1
        named = [f"{status or 'no answer'}: {n}" for status, n in sorted(kinds.items())]
        return f" ({', '.join(named)})" if named else ""

    @property
    def passed(self) -> bool:
        return (
            bool(self.samples) and self.percentile(0.99) < P99_LIMIT and self.errors <= ERROR_LIMIT * len(self.samples)
        )

    def line(self) -> str:
        return (
            f"{self.name:8s} {self.rate:6.0f}/s x {self.seconds:.0f} s: n={len(self.samples)} "
            f"p50={self.percentile(0.5) * 1000:.0f} ms p99={self.percentile(0.99) * 1000:.0f} ms "
            f"errors={self.errors}{self.error_kinds()} {'ok' if self.passed else 'FAIL'}"
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def ok(status: int) -> bool:
    return 200 <= status < 300


Request = Callable[[int], Awaitable[Answer]]


async def open_loop(
    name: str, rate: float, seconds: float, request: Request, *, retries: int = 0, retry_delay: float = 1.0
) -> Step:
    """Send request(i) for i in range(rate * seconds), request i due at i / rate seconds.

    With retries, a phone whose attempt failed (no answer, a 5xx) waits `retry_delay` and sends the
    same request again, up to `retries` more times; the first attempt's latency is what is reported."""
    step = Step(name, rate, seconds)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05

    async def phone(i: int, due: float) -> None:
        first_latency, first_status, status, attempts = 0.0, 0, 0, 0
        while True:
            attempts += 1
            try:
                status = (await request(i)).status
            except (TimeoutError, OSError, ConnectionError, ValueError):
                status = 0
            if attempts == 1:
                first_latency, first_status = loop.time() - start - due, status
            if not (status == 0 or status >= 500) or attempts > retries:
                break
            await asyncio.sleep(retry_delay)
        step.samples.append(Sample(due, first_latency, first_status, status, attempts, loop.time() - start))

    tasks = []
    for i in range(int(rate * seconds)):
        due = i / rate
        delay = start + due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(phone(i, due)))
    await asyncio.gather(*tasks)
    return step


@dataclass
class Target:
    base: str
    tokens: list[str]  # phone i sends with tokens[i % len(tokens)]
    election: str

    @property
    def host(self) -> str:
        return urlsplit(self.base).hostname or "127.0.0.1"

    @property
    def port(self) -> int:
        return urlsplit(self.base).port or 80

    def headers(self, i: int = 0) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[i % len(self.tokens)]}", "Content-Type": "application/json"}


def report_body(election: str, tps_code: str, checkpoint: str, client_id: str) -> bytes:
    voters = sum(map(ord, tps_code)) % 200 + 50  # deterministic, so totals can be checked exactly
    return json.dumps(
        {"election": election, "tps_code": tps_code, "checkpoint": checkpoint, "voters": voters, "client_id": client_id}
    ).encode()


def expected_voters(tps_code: str) -> int:
    return sum(map(ord, tps_code)) % 200 + 50


class Slots:
    """Hands out (TPS, checkpoint) pairs that were never reported: each single report is a new one."""

    def __init__(self, tps: list[str], checkpoints: tuple[str, ...] = ("09", "11", "13", "final")) -> None:
        self.pairs = [(t, c) for c in checkpoints for t in tps]
        self.next = 0

    @property
    def used(self) -> list[tuple[str, str]]:
        return self.pairs[: self.next]

    def take(self, n: int) -> list[tuple[str, str]]:
        if self.next + n > len(self.pairs):
            raise RuntimeError("ran out of unreported TPS x checkpoint slots; load a larger election")
        self.next += n
        return self.pairs[self.next - n : self.next]

    def peek(self, n: int) -> list[tuple[str, str]]:
        """Pairs for the no-op endpoint, which stores nothing: any will do, none is used up."""
        return [self.pairs[i % len(self.pairs)] for i in range(n)]


def reports_request(target: Target, pairs: list[tuple[str, str]], tag: str, path: str) -> Request:
    def request(i: int) -> Awaitable[Answer]:
        tps, checkpoint = pairs[i]
        body = report_body(target.election, tps, checkpoint, f"{tag}:{tps}:{checkpoint}")
        return http(
            target.host, target.port, "POST", path, body=body, headers=target.headers(i), source=phone_address(i)
        )

    return request


async def find_limits(
    target: Target, slots: Slots, rates: list[float], seconds: float, say: Callable[[str], None] = print
) -> dict[str, list[Step]]:
    """Step the rate for the no-op and the single-report endpoint, interleaved, until each fails."""
    steps: dict[str, list[Step]] = {"noop": [], "single": []}
    alive = {"noop": True, "single": True}
    for rate in rates:
        for name in ("noop", "single"):
            if not alive[name]:
                continue
            n = int(rate * seconds)
            if name == "noop":
                request = reports_request(target, slots.peek(n), "noop", "/api/v1/turnout/noop")
            else:
                request = reports_request(target, slots.take(n), "step", "/api/v1/turnout/reports")
            step = await open_loop(name, rate, seconds, request)
            steps[name].append(step)
            say("  " + step.line())
            alive[name] = step.passed
            await asyncio.sleep(2)  # let queues drain between steps
        if not any(alive.values()):
            break
    return steps


def best_rate(steps: list[Step]) -> float:
    """The highest rate whose step passed, below the first that failed."""
    best = 0.0
    for step in steps:
        if not step.passed:
            break
        best = step.rate
    return best


async def poll(
    target: Target, path: str, stop: asyncio.Event, out: list[float], every: float = 1.0, at: list[float] | None = None
) -> None:
    """Closed-loop reader (a situation room screen refreshing): latency of each GET until stopped
    (and, in `at`, when each GET started, in the event loop's clock)."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = time.perf_counter()
        if at is not None:
            at.append(loop.time())
        try:
            answer = await http(target.host, target.port, "GET", path, headers=target.headers(), timeout=30)
            if ok(answer.status):
                out.append(time.perf_counter() - started)
            else:
                out.append(float("inf"))
        except (TimeoutError, OSError, ConnectionError):
            out.append(float("inf"))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


def describe(values: list[float]) -> str:
    if not values:
        return "n=0"
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    failed = sum(1 for v in values if v == float("inf"))
    return f"n={len(values)} p50={pick(0.5):.0f} ms p99={pick(0.99):.0f} ms max={pick(1.0):.0f} ms failed={failed}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True, action="append", help="one or more (phones take turns)")
    parser.add_argument("--election", required=True)
    parser.add_argument("--tps-file", required=True)
    parser.add_argument("--rates", default="25,50,75,100,125,150,200,250,300,400,500")
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    target = Target(args.base, args.token, args.election)
    with open(args.tps_file) as handle:
        slots = Slots([line.strip() for line in handle if line.strip()])
    steps = asyncio.run(find_limits(target, slots, [float(r) for r in args.rates.split(",")], args.seconds))
    noop, single = best_rate(steps["noop"]), best_rate(steps["single"])
    print(f"highest rate with p99 < 1 s: no-op {noop:.0f}/s, single reports {single:.0f}/s")
    if noop:
        print(f"ratio single / no-op: {single / noop:.2f}")


if __name__ == "__main__":
    main()
