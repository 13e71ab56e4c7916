"""The admin base every scoped app shares: an object outside the user's scope is a 404.

A model admin of a scoped model (its queryset a `core.scoping.ScopedQuerySet`, or any with
`for_user`) lists, searches, filters, exports and opens only what `for_user` returns; the
change, delete, history and old-version pages of anything else answer 404, as if it did not
exist. The choices of every foreign key and many-to-many field whose model is scoped are
limited the same way, so a posted choice outside them fails validation; a field that may name
any row (a meeting held at any base) is listed in `unscoped_choices`.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import admin as import_export_admin
from simple_history.admin import SimpleHistoryAdmin

from .formats import UnreadableFile

MESSAGE_UNREADABLE = _(
    "This file could not be read as the format chosen below. Check that the format matches the "
    "file's extension (.xlsx, .xls or .csv)."
)


def scoped_choices(admin, db_field, request, kwargs):
    if "queryset" in kwargs or db_field.name in admin.unscoped_choices:
        return kwargs
    related = db_field.related_model._default_manager.all()
    if hasattr(related, "for_user"):
        related = related.for_user(request.user)
        # The widget labels a choice by its __str__, which may name its organisation.
        label_related = getattr(related, "label_related", ())
        if label_related:
            related = related.select_related(*label_related)
        kwargs["queryset"] = related
    return kwargs


class ScopedChoicesMixin:
    """Limits foreign-key and many-to-many choices to the user's scope (admins and inlines)."""

    unscoped_choices = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **scoped_choices(self, db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **scoped_choices(self, db_field, request, kwargs)
        )


class ScopedAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def _in_scope_or_404(self, request, object_id):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_valid_export_item_pks(self, request):
        # import-export's export form: only what the changelist may show.
        return self.get_queryset(request).values_list("pk", flat=True)


class ImportExportMixin(import_export_admin.ImportExportMixin):
    """django-import-export's import and export, saying in Chinese why a file could not be read.

    The library names only the exception's class (“'ValueError' encountered…”), so as not to echo
    a file's content; our readers' own messages (core.formats.UnreadableFile) are fixed text and
    are shown as they are."""

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnreadableFile):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", gettext(MESSAGE_UNREADABLE))
