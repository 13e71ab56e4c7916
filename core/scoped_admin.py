"""The admin base every scoped app shares: an object outside the user's scope is a 404.

A model admin of a scoped model (its queryset a `core.scoping.ScopedQuerySet`, or any with
`for_user`) lists, searches, filters, exports and opens only what `for_user` returns; the
change, delete, history and old-version pages of anything else answer 404, as if it did not
exist. The choices of every foreign key and many-to-many field whose model is scoped are
limited the same way, so a posted choice outside them fails validation; a field that may name
any row (a meeting held at any base) is listed in `unscoped_choices`.

Every admin with history builds on `HistoryAdmin`: simple-history's version page is read-only
for everyone (docs/security.md, "Revert").
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin


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


def keeps_history(model):
    return hasattr(model._meta, "simple_history_manager_attribute")


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin with its version page shown read-only and never saved.

    The library saves a posted version without asking for change permission (upstream PR
    #529), restores read-only fields and skips the services (a member moved back with no
    event). Staff edit through the change form instead, so the page refuses every POST and
    renders each field as text; `SIMPLE_HISTORY_REVERT_DISABLED` hides its button.
    """

    def history_view(self, request, object_id, extra_context=None):
        if not keeps_history(self.model):
            # A record without its own history (member events): Django's log of admin changes.
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def version_visible(self, request, version):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        if not keeps_history(self.model):
            raise Http404
        request.current_app = self.admin_site.name
        opts = self.model._meta
        version = get_object_or_404(
            self.model.history.model,
            **{opts.pk.attname: unquote(object_id), "history_id": version_id},
        )
        obj = version.instance
        obj._state.adding = False
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        if not self.version_visible(request, version):
            raise Http404
        fieldsets = self.get_fieldsets(request, obj)
        # No field is editable: an empty form, every field shown as the version's value.
        form = modelform_factory(self.model, fields=[])(instance=obj)
        admin_form = helpers.AdminForm(
            form, fieldsets, {}, flatten_fieldsets(fieldsets), model_admin=self
        )
        url_name = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}"
        context = {
            **self.admin_site.each_context(request),
            "title": self.history_form_view_title(request, obj),
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "media": self.media + admin_form.media,
            "errors": [],
            "app_label": opts.app_label,
            "original_opts": opts,
            "changelist_url": reverse(f"{url_name}_changelist"),
            "change_url": reverse(f"{url_name}_change", args=[obj.pk]),
            "history_url": reverse(f"{url_name}_history", args=[obj.pk]),
            "change_history": False,
            "revert_disabled": True,
            "add": False,
            "change": True,
            "has_add_permission": False,
            "has_view_permission": True,
            "has_change_permission": False,
            "has_delete_permission": False,
            "has_editable_inline_admin_formsets": False,
            "has_file_field": False,
            "has_absolute_url": False,
            "form_url": "",
            "opts": opts,
            "save_as": False,
            "save_on_top": False,
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_form_template, context)


class ScopedAdmin(ScopedChoicesMixin, HistoryAdmin):
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

    def version_visible(self, request, version):
        # As it was then: each scoped foreign key of the version (the member's branch, the
        # visit's base) must be one the user may choose today.
        for field in self.model._meta.concrete_fields:
            if not field.many_to_one or field.name in self.unscoped_choices:
                continue
            related = field.related_model._default_manager.all()
            value = getattr(version, field.attname)
            if value is None or not hasattr(related, "for_user"):
                continue
            if not related.for_user(request.user).filter(pk=value).exists():
                return False
        return True

    def get_valid_export_item_pks(self, request):
        # import-export's export form: only what the changelist may show.
        return self.get_queryset(request).values_list("pk", flat=True)
