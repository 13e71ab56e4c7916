"""Every write is in simple-history: each portal model keeps history, and imports (bulk or not)
write history rows for what they change."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from import_export.mixins import BaseImportMixin
from simple_history.models import HistoricalRecords, registered_models

from tests.ops import crawler

# Known gaps, reported to their apps' owners (docs/security.md): small reference lists that
# bureau staff edit rarely. Any other model without history fails this test.
WITHOUT_OWN_HISTORY = {"branches.Unit", "exhibitions.Activity"}


def test_every_portal_model_keeps_history():
    missing = [
        model._meta.label
        for model in crawler.portal_models()
        if model not in registered_models.values()
        and not any(issubclass(model, m) for m in registered_models.values())
        and model._meta.label not in WITHOUT_OWN_HISTORY
        and not model._meta.auto_created
    ]
    assert missing == [], "models without HistoricalRecords()"


def import_admins():
    return [m for m in admin.site._registry.values() if isinstance(m, BaseImportMixin)]


def editable_text_column(resource, model):
    for name, field in resource.fields.items():
        if not field.attribute or "__" in field.attribute:
            continue
        try:
            model_field = model._meta.get_field(field.attribute)
        except Exception:  # noqa: BLE001 - a resource column that is not a model field
            continue
        if (
            isinstance(model_field, (models.CharField, models.TextField))
            and not model_field.unique
            and not model_field.choices
            and not isinstance(model_field, models.SlugField)
            and (model_field.max_length or 10_000) >= 40
        ):
            return name, field
    return None, None


def test_every_import_writes_history_for_the_rows_it_changes(demo, db, rf):
    superuser = get_user_model().objects.create_superuser("history-root", password=None)
    request = rf.post("/admin/")
    request.user = superuser
    checked = []
    assert import_admins(), "no admin offers imports"
    for model_admin in import_admins():
        model = model_admin.model
        rows = list(model._default_manager.order_by("pk")[:3])
        assert rows, f"the demo has no {model._meta.label} to re-import"
        for resource_class in model_admin.get_import_resource_classes(request):
            resource = resource_class(**model_admin.get_import_resource_kwargs(request))
            name, field = editable_text_column(resource, model)
            assert name, f"{resource_class.__name__} has no plain text column to change"
            dataset = resource.export(
                queryset=model._default_manager.filter(pk__in=[r.pk for r in rows])
            )
            index = dataset.headers.index(str(field.column_name))
            for position, row in enumerate(list(dataset)):
                changed = list(row)
                changed[index] = f"{row[index] or ''}（导入修改）"[-40:]
                dataset[position] = changed
            before = model.history.count()
            # As in the admin, where HistoryRequestMiddleware names the user behind the import.
            HistoricalRecords.context.request = request
            try:
                result = resource.import_data(
                    dataset, dry_run=False, raise_errors=True, user=superuser
                )
            finally:
                del HistoricalRecords.context.request
            assert not result.has_validation_errors(), result.invalid_rows
            assert model.history.count() >= before + len(rows), resource_class.__name__
            latest = model.history.order_by("-history_id").first()
            assert latest.history_user == superuser
            checked.append(resource_class.__name__)
    assert checked
