from django.db import migrations


def create_roles(apps, schema_editor):
    # Permissions themselves are (re)assigned after every migrate by core.roles.sync_roles,
    # because later migrations add the models they name.
    Group = apps.get_model("auth", "Group")
    from core.roles import ROLES

    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    from core.roles import ROLES

    Group.objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("branches", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
