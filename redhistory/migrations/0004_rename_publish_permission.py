from django.db import migrations


def rename_publish_permission(apps, schema_editor):
    """The permission once called `publish` is now `publish_oralhistory`: keep who holds it."""
    Permission = apps.get_model("auth", "Permission")
    old = Permission.objects.filter(
        content_type__app_label="redhistory",
        content_type__model="oralhistory",
        codename="publish",
    ).first()
    if old is None:
        return
    new = Permission.objects.filter(
        content_type_id=old.content_type_id, codename="publish_oralhistory"
    ).first()
    if new is None:
        old.codename = "publish_oralhistory"
        old.save(update_fields=["codename"])
        return
    for group in old.group_set.all():
        group.permissions.add(new)
    for user in old.user_set.all():
        user.user_permissions.add(new)
    old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("redhistory", "0003_records_files_oral_history_films"),
    ]

    operations = [
        migrations.RunPython(rename_publish_permission, migrations.RunPython.noop),
    ]
