from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import ApiToken, User
from sinergi.accounts.tokens import token_create, token_revoke, tokens_of


class Command(BaseCommand):
    help = (
        "Manage personal API tokens: `sinergi token create USERNAME` prints a new token once; "
        "`sinergi token list USERNAME` lists a user's tokens; `sinergi token revoke PREFIX` revokes one."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print its secret once")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        create.add_argument("--days", type=int, default=None, help="lifetime (default SINERGI_TOKEN_DAYS)")
        listing = actions.add_parser("list", help="list a user's tokens (prefix, name, dates, status)")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="revoke the token with this prefix (sng_PREFIX_…)")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        if action == "create":
            user = self._user(options["username"], active=True)
            days = options["days"]
            if days is not None and days < 1:
                raise CommandError(_("--days paling sedikit 1"))
            self.stdout.write(token_create(user=user, name=options["name"], days=days))
        elif action == "list":
            self._list(self._user(options["username"], active=False))
        else:
            self._revoke(options["prefix"])

    def _user(self, username: str, *, active: bool) -> User:
        users = User.objects.filter(username=username)
        user = (users.filter(is_active=True) if active else users).first()
        if user is None:
            raise CommandError((_("tidak ada pengguna aktif bernama %(name)s") if active else _("tidak ada pengguna bernama %(name)s"))
                % {"name": username})
        return user

    def _list(self, user: User) -> None:
        now = timezone.now()
        self.stdout.write("prefix\tname\tcreated\tlast used\texpires\tstatus")
        for token in tokens_of(user):
            used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "-"
            self.stdout.write(
                f"{token.prefix}\t{token.name}\t{token.created_at.isoformat(timespec='minutes')}\t{used}\t"
                f"{token.expires_at.isoformat(timespec='minutes')}\t{token.status(now)}"
            )

    def _revoke(self, prefix: str) -> None:
        prefix = prefix.removeprefix("sng_").split("_")[0]
        matches = list(ApiToken.objects.filter(prefix=prefix).select_related("user"))
        if not matches:
            raise CommandError(_("tidak ada token berawalan %(prefix)s") % {"prefix": prefix})
        if len(matches) > 1:
            raise CommandError(_("%(count)d token berawalan %(prefix)s; cabut lewat admin") % {"count": len(matches), "prefix": prefix})
        token = matches[0]
        if token_revoke(token=token, actor=None, channel="system"):
            self.stdout.write(
                _("%(prefix)s dicabut (%(user)s, %(name)s)") % {"prefix": prefix, "user": token.user.username, "name": token.name}
            )
        else:
            self.stdout.write(_("%(prefix)s sudah dicabut sebelumnya") % {"prefix": prefix})
