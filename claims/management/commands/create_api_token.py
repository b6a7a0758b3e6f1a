"""python manage.py create_api_token USER [--name N] [--days D]: a new API token for a
user, its key printed once (only its digest is stored; claims/tokens.py)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims import tokens


class Command(BaseCommand):
    help = "Issue a new API token for a user and print its key (shown this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days it lives (default FACTCHECK_API_TOKEN_TTL_DAYS, at most "
            "FACTCHECK_API_TOKEN_MAX_DAYS)",
        )

    def handle(self, *args, username, name, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username!r} is inactive; their token would not work.")
        try:
            token, key = tokens.issue(user, name=name, days=days)
        except tokens.TokenError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(
            f"API token {token.pk} ({token.name or 'unnamed'}) for {username}, expires "
            f"{token.expiry:%Y-%m-%d %H:%M} UTC. The key, shown this once:"
        )
        self.stdout.write(key)
