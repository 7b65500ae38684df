from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.models import User
from sinergi.accounts.tokens import token_create


class Command(BaseCommand):
    help = "Manage personal API tokens: `sinergi token create USERNAME` prints a new token once."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, action, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username}")
        self.stdout.write(token_create(user=user, name=name))
