"""The leader's page on the loaded Kukar demo: the situation room as `sekda.kukar` and the admin sees it,
in Indonesian and in English, and the public page, against `/healthz` in the same process.

    python benchmarks/situation_room_demo.py [--database-url URL] [--repeat 5]

Loads the whole demo into a database of its own (SQLite in a temporary folder by default), then
measures each page through Django's test client (no network): median milliseconds per request, the
ratio to `/healthz` (no database) measured in the same run, and the query count of one request. The
room answers from every module's provider (verdicts, readiness, attention, map layers).

The second table goes level by level (the nation, province 64, Kukar, kecamatan Tenggarong, one of
its desa) as the national administrator: the room page, the room API and the public page. Its query
counts are of a cold request (caches cleared first), the count `situation/tests/test_query_counts.py`
pins; the public page is timed cold too (its summary is cached for two minutes otherwise).
"""

import argparse
import io
import tempfile

from bench_django import per_call, queries, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sinergi-room-")
    setup_django(args.database_url or f"sqlite:///{folder}/bench.sqlite3")

    from django.conf import settings
    from django.core.management.base import OutputWrapper
    from django.test import Client

    from sinergi.accounts.models import User
    from sinergi.core.demo_context import DemoContext, demo_loaders

    settings.MEDIA_ROOT = folder  # the demo's report files go to the temporary folder
    context = DemoContext(stdout=OutputWrapper(io.StringIO()))
    for _, load in demo_loaders():
        load(context)

    def client(username: str, language: str) -> Client:
        found = Client()
        found.force_login(User.objects.get(username=username))
        found.cookies["django_language"] = language
        return found

    anonymous = Client()
    health = per_call(lambda: anonymous.get("/healthz"), args.repeat * 20)
    pages = [
        ("sekda.kukar, room 64.02, id", client("sekda.kukar", "id"), "/situasi/64.02/"),
        ("sekda.kukar, room 64.02, en", client("sekda.kukar", "en"), "/situasi/64.02/"),
        ("sekda.kukar, room 64.02.06, id", client("sekda.kukar", "id"), "/situasi/64.02.06/"),
        ("admin, room 64, id", client("admin", "id"), "/situasi/64/"),
        ("admin, room ID, id", client("admin", "id"), "/situasi/ID/"),
        ("public 64.02, en", anonymous, "/situasi/publik/64.02/?bahasa=en"),
    ]
    print(f"/healthz: {health * 1000:.2f} ms per request (baseline)")
    print("| page | ms per request | × /healthz | queries |")
    print("|---|---|---|---|")
    for label, reader, url in pages:
        assert reader.get(url).status_code == 200, url
        seconds = per_call(lambda reader=reader, url=url: reader.get(url), args.repeat)
        count = queries(lambda reader=reader, url=url: reader.get(url))
        print(f"| {label} | {seconds * 1000:.1f} | {seconds / health:.0f} | {count} |")
    by_level(client("admin", "id"), health, args.repeat)


def by_level(admin, health: float, repeat: int) -> None:
    from django.core.cache import cache
    from django.test import Client

    from sinergi.accounts.models import User
    from sinergi.accounts.tokens import token_create
    from sinergi.areas.models import Area

    desa = Area.objects.filter(parent_id="64.02.06").order_by("code").values_list("code", flat=True).first()
    token = {"Authorization": f"Bearer {token_create(user=User.objects.get(username='admin'))}"}
    api, anonymous = Client(headers=token), Client()
    print()
    print(
        "| level | room page ms (× /healthz) | queries | room API ms (× /healthz) | queries | public page, cold, ms (× /healthz) | queries |"
    )
    print("|---|---|---|---|---|---|---|")
    for code in ["ID", "64", "64.02", "64.02.06", desa]:
        cells = []
        for reader, url, cold in (
            (admin, f"/situasi/{code}/", False),
            (api, f"/api/v1/situation/areas/{code}", False),
            (anonymous, f"/situasi/publik/{code}/", True),
        ):
            assert reader.get(url).status_code == 200, url

            def call(reader=reader, url=url, cold=cold):
                if cold:
                    cache.clear()
                return reader.get(url)

            seconds = per_call(call, repeat)
            cache.clear()
            count = queries(lambda reader=reader, url=url: reader.get(url))
            cells += [f"{seconds * 1000:.1f} ({seconds / health:.0f}×)", str(count)]
        print(f"| {code} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
