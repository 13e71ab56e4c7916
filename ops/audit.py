"""The access log of personal records: `record_read(user, obj)` wherever a full record is shown.

The admin change and history views of the models in `settings.PORTAL_AUDITED_MODELS` are logged
by `ops.middleware.AuditReadMiddleware`; any other view or export that shows a member's full
record calls `record_read` itself.
"""

from django.contrib.contenttypes.models import ContentType

from .models import AccessLog


def record_read(user, obj, *, action=AccessLog.Action.VIEW):
    """Logs that `user` read `obj` (a model instance) now."""
    return record_read_by_id(user, type(obj), obj.pk, action=action)


def record_read_by_id(user, model, object_id, *, action=AccessLog.Action.VIEW, username=None):
    """`username` names a reader who has no account (a management command's operator)."""
    return AccessLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=username or getattr(user, "get_username", lambda: "")() or "",
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(object_id),
        action=action,
    )


def record_bulk_read(user, queryset, *, action=AccessLog.Action.EXPORT):
    """Logs one entry per record of an export, in one query."""
    model = queryset.model
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    username = user.get_username() if getattr(user, "pk", None) else ""
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user if getattr(user, "pk", None) else None,
            username=username,
            content_type=content_type,
            object_id=str(pk),
            action=action,
        )
        for pk in queryset.values_list("pk", flat=True)
    )
