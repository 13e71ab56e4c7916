from django.core.management.base import BaseCommand
from django.utils import timezone

from ops.backup import create_backup


class Command(BaseCommand):
    help = "Writes one consistent archive of the database and the media files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Archive path (default: backups/portal-<timestamp>.tar.gz)",
        )
        parser.add_argument(
            "--method",
            choices=["auto", "pg_dump", "json"],
            default="auto",
            help="auto: pg_dump on PostgreSQL when installed, else Django's serialiser",
        )

    def handle(self, *args, output=None, method="auto", **options):
        output = output or f"backups/portal-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        create_backup(output, method=method, stdout=self.stdout)
