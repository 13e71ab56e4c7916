"""Times an xlsx import of 10,000 members through django-import-export (docs/performance.md).

    DJANGO_DEBUG=True DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_report \\
        .venv/bin/python bench/import_members.py --rows 10000

members/resources.py does not exist on this branch yet, so the benchmark defines a minimal
`MemberResource` of its own, the way STYLE.md asks for one: Chinese headers, the organisation by
its natural key (code) through a `CachedForeignKeyWidget` (one query, not one per row), model
validation on every row (uniqueness of the ID number checked against one query, not one per row),
bulk mode with `batch_size=1000`, `skip_diff` and
`force_init_instance`, all-or-nothing in one transaction, and history rows written with
simple-history's `bulk_history_create` (bulk mode sends no signals). The integrator should rerun
it against the members app's own resource when it lands.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def build_sheet(rows, codes):
    from openpyxl import Workbook

    rng = random.Random("import-members")
    book = Workbook(write_only=True)
    ws = book.create_sheet("党员")
    ws.append(["姓名", "性别", "出生日期", "身份证号码", "入党日期", "在职/离退休", "党组织"])
    for i in range(rows):
        ws.append(
            [
                f"导入党员{i:05d}",
                rng.choice("MF"),
                datetime.date(
                    1930 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28)
                ),
                f"1499{i:013d}X",
                datetime.date(1950 + rng.randrange(70), 7, 1),
                rng.choice(["in_service", "lixiu", "retired"]),
                codes[i % len(codes)],
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    import tablib
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from import_export import fields, resources, widgets

    from branches.models import Organisation
    from members.models import Member

    class MemberResource(resources.ModelResource):
        name = fields.Field("name", "姓名")
        gender = fields.Field("gender", "性别")
        birth_date = fields.Field("birth_date", "出生日期", widget=widgets.DateWidget())
        id_number = fields.Field("id_number", "身份证号码")
        joined_on = fields.Field("joined_on", "入党日期", widget=widgets.DateWidget())
        employment = fields.Field("employment", "在职/离退休")
        organisation = fields.Field(
            "organisation", "党组织", widget=widgets.CachedForeignKeyWidget(Organisation, "code")
        )

        class Meta:
            model = Member
            fields = [
                "name",
                "gender",
                "birth_date",
                "id_number",
                "joined_on",
                "employment",
                "organisation",
            ]
            import_id_fields = ["id_number"]
            clean_model_instances = True
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            force_init_instance = True

        def before_import(self, dataset, **kwargs):
            # One query for the uniqueness check instead of one per row (full_clean's
            # validate_unique); duplicates within the file are caught too.
            self.seen_id_numbers = set(Member.objects.values_list("id_number", flat=True))

        def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
            errors = dict(import_validation_errors or {})
            if instance.id_number in self.seen_id_numbers:
                errors["id_number"] = ValidationError("该身份证号码已有党员记录。")
            self.seen_id_numbers.add(instance.id_number)
            super().validate_instance(instance, errors, validate_unique=False)

        def bulk_create(
            self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
        ):
            created = list(self.create_instances)
            super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
            if created and not dry_run:
                Member.history.bulk_history_create(created, batch_size=batch_size)

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    Member.objects.filter(id_number__startswith="1499").delete()
    Member.history.filter(id_number__startswith="1499").delete()
    codes = list(Organisation.objects.filter(kind="branch").values_list("code", flat=True))
    content = build_sheet(args.rows, codes)

    started = time.perf_counter()
    dataset = tablib.Dataset().load(content, format="xlsx")
    loaded = time.perf_counter()
    result = MemberResource().import_data(
        dataset, dry_run=False, use_transactions=True, raise_errors=True
    )
    finished = time.perf_counter()

    imported = Member.objects.filter(id_number__startswith="1499").count()
    history = Member.history.filter(id_number__startswith="1499").count()
    print(f"rows in file: {args.rows:,}; members imported: {imported:,}; history rows: {history:,}")
    print(
        f"read xlsx: {loaded - started:.1f} s; import: {finished - loaded:.1f} s; total: {finished - started:.1f} s"
    )
    print(f"errors: {len(result.row_errors())} rows")


if __name__ == "__main__":
    main()
