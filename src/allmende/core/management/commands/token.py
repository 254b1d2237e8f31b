"""``allmende token create EMAIL NAME``, ``token list [EMAIL]``, ``token revoke PREFIX``.

For scripts and operators: the same tokens people make on their *API tokens* page.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ...models import ApiToken, User
from ...services.tokens import create_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token; prints the secret once.")
        create.add_argument("email", help="the e-mail address of the token's user")
        create.add_argument("name", help="what the token is for, e.g. 'upload script'")
        listing = sub.add_parser("list", help="List tokens (of one user, if given).")
        listing.add_argument("email", nargs="?")
        revoke = sub.add_parser("revoke", help="Revoke the token whose prefix is given.")
        revoke.add_argument("prefix", help="the token's prefix as shown by 'list'")

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict) -> None:
        user = _user(options["email"])
        _token, raw = create_api_token(user=user, name=options["name"][:100])
        self.stdout.write(raw)

    def _list(self, options: dict) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__email", "created")
        if options["email"]:
            tokens = tokens.filter(user=_user(options["email"]))
        for token in tokens:
            state = _("revoked") if token.revoked else _("active")
            used = token.last_used.isoformat(timespec="seconds") if token.last_used else "-"
            self.stdout.write(f"{token.prefix}\t{token.user.email}\t{token.name}\t{state}\t{used}")

    def _revoke(self, options: dict) -> None:
        matches = list(ApiToken.objects.filter(prefix=options["prefix"], revoked=False))
        if len(matches) != 1:
            raise CommandError(
                _("no single active token has the prefix %(prefix)s")
                % {"prefix": options["prefix"]}
            )
        revoke_api_token(matches[0], by=matches[0].user)
        self.stdout.write(_("revoked %(prefix)s") % {"prefix": matches[0].prefix})


def _user(email: str) -> User:
    try:
        return User.objects.get(email__iexact=email.strip())
    except User.DoesNotExist:
        raise CommandError(
            _("no user with the e-mail address %(email)s") % {"email": email}
        ) from None
