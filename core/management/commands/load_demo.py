import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD_VARIABLE, load_demo

MESSAGE_PRODUCTION = (
    "DJANGO_DEBUG is off: this looks like production, and the demo would add invented members, "
    "veterans and accounts (a superuser among them) to it. Pass --force if this really is a "
    "demonstration server."
)


class Command(BaseCommand):
    help = "Loads a realistic demo bureau (FACTS.md); deterministic and idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the generated volume of people and records (for benchmarks).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even though DJANGO_DEBUG is off (a demonstration server).",
        )

    def handle(self, *args, scale, force, **options):
        if scale < 1:
            raise CommandError("--scale must be a positive whole number.")
        if not settings.DEBUG and not force:
            raise CommandError(MESSAGE_PRODUCTION)
        with transaction.atomic():
            ctx = load_demo(scale=scale, stdout=self.stdout)
        # A password the operator chose is not echoed into terminals and logs.
        new_password = (
            f"(${DEMO_PASSWORD_VARIABLE})"
            if os.environ.get(DEMO_PASSWORD_VARIABLE)
            else ctx.password
        )
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at /admin/ with:"))
        for username, _role, purpose in DEMO_ACCOUNTS:
            password = new_password if username in ctx.created_accounts else "(unchanged)"
            self.stdout.write(f"  {username:<22} {password}   ({purpose})")
