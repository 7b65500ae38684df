"""What the trust layer costs on the hot path, on a fresh database (SQLite file by default).

    python benchmarks/trust.py [--database-url URL] [--repeat 3000]

1. `ObjectAccess.get` (the one access function: a scoped filter on the user's memberships) against a
   plain `Area.objects.get` by primary key of the same area, in the same run: time ratio and queries.
2. The request sanitiser (`core.sanitise.request_refusal`) on a clean 900-byte JSON turnout report
   against the `json.loads` of the same body that the API does anyway.

Ratios, not times: the machines are shared and noisy.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_django import per_call, queries, setup_django  # noqa: E402


def access_cost(repeat: int) -> None:
    from sinergi.accounts.roles import Role
    from sinergi.areas.models import Area
    from sinergi.turnout.permissions import TURNOUT_AREA
    from testkit.builders import user_make, world_make

    world_make()
    user = user_make("bench.kpu", Role.KPU_OPERATOR, "64.02", "kpu-kukar")
    TURNOUT_AREA.get(user, "64.02.06")  # memberships are loaded once per request and kept on the user
    guarded = per_call(lambda: TURNOUT_AREA.get(user, "64.02.06", write=True), repeat)
    plain = per_call(lambda: Area.objects.get(pk="64.02.06"), repeat)
    print(f"access get (write)   {guarded * 1e6:7.1f} us  plain get {plain * 1e6:7.1f} us  ratio {guarded / plain:.2f}")
    print(
        f"queries              access {queries(lambda: TURNOUT_AREA.get(user, '64.02.06', write=True))}"
        f"  plain {queries(lambda: Area.objects.get(pk='64.02.06'))}"
    )


def sanitiser_cost(repeat: int) -> None:
    from django.test import RequestFactory

    from sinergi.core.sanitise import request_refusal

    report = {"tps_code": "64.02.06.2001.004", "checkpoint": "13", "voters": 233, "client_id": "x" * 36}
    body = json.dumps({"reports": [report] * 6, "note": "Pelaporan dari KPPS, sinyal lemah di desa."})
    request = RequestFactory().post("/api/v1/turnout/reports", body, content_type="application/json")
    assert request_refusal(request) is None
    checked = per_call(lambda: request_refusal(request), repeat)
    parsed = per_call(lambda: json.loads(request.body), repeat)
    print(
        f"sanitiser {len(body)} B   {checked * 1e6:7.1f} us  json.loads {parsed * 1e6:7.1f} us  ratio {checked / parsed:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=3000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sinergi-bench-trust-")
    setup_django(args.database_url or f"sqlite:///{folder}/bench.sqlite3", SINERGI_VAR_DIR=folder)
    access_cost(args.repeat)
    sanitiser_cost(args.repeat)


if __name__ == "__main__":
    main()
