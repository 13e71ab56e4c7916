"""`manage.py yearly_report --year 2024 -o report.xlsx`: the yearly report to Excel.

The builder lives in `reports/` (it spans every app); this command only parses its options.
"""

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports import storage
from reports.selectors import ReportScope
from reports.sheets import build_report, parse_years, record_report_read


class Command(BaseCommand):
    help = "Builds the yearly report workbook for a year or a range of years."

    def add_arguments(self, parser):
        parser.add_argument("--year", help="A year (2024) or a range (2023-2024).")
        parser.add_argument("--from-year", type=int)
        parser.add_argument("--to-year", type=int)
        parser.add_argument("-o", "--output", help="Where to write the .xlsx file.")
        parser.add_argument(
            "--user",
            help="Build as this user (their scope and masking); default: a full-permission build.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete report files older than the retention period, and build nothing else.",
        )

    def handle(self, *args, **options):
        if options["prune"]:
            removed = storage.prune()
            self.stdout.write(f"Removed {removed} expired report files.")
            return
        start_year, end_year = self.years(options)
        if not options["output"]:
            raise CommandError("Give the output file with -o report.xlsx.")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user named {options['user']!r}.") from error
        scope = ReportScope.for_user(user, start_year=start_year, end_year=end_year)
        build_report(options["output"], scope=scope)
        record_report_read(user, username=f"manage.py yearly_report ({getpass.getuser()})")
        self.stdout.write(f"Wrote the {scope.label} report to {options['output']}")

    def years(self, options):
        if options["year"]:
            try:
                return parse_years(options["year"])
            except ValueError as error:
                raise CommandError("--year takes a year (2024) or a range (2023-2024).") from error
        start, end = options["from_year"], options["to_year"]
        if start is None and end is None:
            raise CommandError("Give --year 2024, --year 2023-2024 or --from-year/--to-year.")
        start, end = start or end, end or start
        if end < start:
            raise CommandError("--to-year comes before --from-year.")
        return start, end
