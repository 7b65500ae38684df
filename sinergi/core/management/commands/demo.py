"""`sinergi demo [--no-serve]`: migrate, load the Kukar demo, print the logins, serve with a worker.

Safe to run again: every loader updates what is there and duplicates nothing.
"""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sinergi.core.demo_context import DemoContext, demo_loaders


class Command(BaseCommand):
    help = "Create and migrate the database, load the Kukar demo and serve it at http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the demo and exit")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve, addrport, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("compile_translations", verbosity=0)
        context = DemoContext(stdout=self.stdout)
        for app, load in demo_loaders():
            self.stdout.write(self.style.MIGRATE_HEADING(f"{app}:"))
            load(context)
        self._print_logins(context, addrport)
        if not no_serve:
            self._serve(addrport)

    def _print_logins(self, context: DemoContext, addrport: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nSinergi demo ready at http://{addrport}/  (API docs: /api/v1/docs)"))
        self.stdout.write(f"{'username':<22} {'password':<20} role")
        for username, password, what in context.logins:
            self.stdout.write(f"{username:<22} {password:<20} {what}")

    def _serve(self, addrport: str) -> None:
        worker = subprocess.Popen([sys.executable, "-m", "sinergi.manage", "worker", "--interval", "2", "--tick", "5"])
        # The local fake SMS/WhatsApp/Telegram gateway: accepts what the worker sends, posts receipts back.
        gateway = subprocess.Popen(
            [sys.executable, "-m", "sinergi.manage", "fake-gateway", "--callback-base", f"http://{addrport}"]
        )
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            for process in (worker, gateway):
                process.terminate()
                process.wait(timeout=10)
