from django.core.management.base import BaseCommand

from visits import summary


class Command(BaseCommand):
    help = "Recomputes the visit summary the statistics read from every visit."

    def handle(self, *args, **options):
        rows = summary.rebuild()
        self.stdout.write(f"{rows} summary rows")
