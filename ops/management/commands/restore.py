from django.core.management.base import BaseCommand, CommandError

from ops.backup import restore_backup


class Command(BaseCommand):
    help = "Replaces the database and the media files with those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, archive, interactive=True, **options):
        if interactive:
            answer = input(f"Replace ALL data of this portal with {archive}? Type 'yes': ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest, counts = restore_backup(archive, stdout=self.stdout)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        different = {
            label: (expected, counts.get(label))
            for label, expected in manifest["counts"].items()
            if counts.get(label) != expected
        }
        if different:
            raise CommandError(f"Row counts differ after restore: {different}")
