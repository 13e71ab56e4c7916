from django.db import migrations

# The six activities a base may offer; other apps refer to them by code.
CODES = ["visit", "oath", "lecture", "themed_day", "sharing", "training"]


def seed(apps, schema_editor):
    Activity = apps.get_model("exhibitions", "Activity")
    for order, code in enumerate(CODES, start=1):
        Activity.objects.update_or_create(code=code, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitions", "0003_base_details_milestones_activities"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
