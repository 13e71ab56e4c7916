from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Loads a realistic demo bureau (FACTS.md); deterministic and idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the generated volume of people and records (for benchmarks).",
        )

    def handle(self, *args, scale, **options):
        if scale < 1:
            raise CommandError("--scale must be a positive whole number.")
        with transaction.atomic():
            load_demo(scale=scale, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at /admin/ with:"))
        for username, _role, purpose in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<22} {DEMO_PASSWORD}   ({purpose})")
