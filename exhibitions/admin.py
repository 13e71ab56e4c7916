from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.imports import PortalImportExportMixin
from core.roles import BASE_ADMINISTRATOR, user_sees_all_bases
from core.scoped_admin import HistoryAdmin, ScopedAdmin
from redhistory.services import artefact_display

from . import selectors
from .forms import DisplayArtefactForm
from .models import (
    Activity,
    BaseImage,
    ConstructionMilestone,
    EducationBase,
    ExhibitionSection,
    SectionImage,
)
from .resources import EducationBaseResource


class ConstructionMilestoneInline(admin.TabularInline):
    model = ConstructionMilestone
    extra = 0
    fields = ["stage", "reached_on", "note", "document"]


class BaseImageInline(admin.TabularInline):
    model = BaseImage
    extra = 0
    fields = ["order", "image", "caption"]


class ExhibitionSectionInline(admin.TabularInline):
    model = ExhibitionSection
    extra = 0
    fields = ["order", "title", "edit_link"]
    readonly_fields = ["edit_link"]
    show_change_link = True

    @admin.display(description=_("images and displays"))
    def edit_link(self, obj):
        if not obj.pk:
            return ""
        url = reverse("admin:exhibitions_exhibitionsection_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("edit the text, images and displays"))


@admin.register(Activity)
class ActivityAdmin(HistoryAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["code"]

    def get_readonly_fields(self, request, obj=None):
        # Visits, bookings and the statistics refer to an activity by its code.
        return ["code"] if obj else []

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EducationBase)
class EducationBaseAdmin(PortalImportExportMixin, ScopedAdmin):
    resource_classes = [EducationBaseResource]
    list_display = [
        "name",
        "kind",
        "county",
        "stage",
        "bookings_open",
        "featured",
    ]
    list_filter = ["kind", "county", "bookings_open", "featured"]
    search_fields = ["name", "slug", "feature", "brand"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisations", "administrators"]
    inlines = [ConstructionMilestoneInline, BaseImageInline, ExhibitionSectionInline]
    readonly_fields = ["meetings_held_here"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "county", "parent", "organisations"]}),
        (_("Feature and brand"), {"fields": ["feature", "brand", "description", "cover"]}),
        (
            _("Visiting"),
            {
                "fields": [
                    "activities",
                    "open_weekdays",
                    "opening_hours",
                    "capacity_per_slot",
                    "bookings_open",
                    "contact",
                ]
            },
        ),
        (_("How to get there"), {"fields": ["address", "transport", "latitude", "longitude"]}),
        (_("Management"), {"fields": ["featured", "administrators"]}),
        (_("Organisational life held here"), {"fields": ["meetings_held_here"]}),
    ]
    # Only bureau staff decide which bases exist, where they sit, and who runs them.
    STAFF_ONLY_FIELDS = ["slug", "kind", "parent", "organisations", "administrators", "featured"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("milestones")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not user_sees_all_bases(request.user):
            readonly += self.STAFF_ONLY_FIELDS
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if not user_sees_all_bases(request.user):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def has_add_permission(self, request):
        return user_sees_all_bases(request.user) and super().has_add_permission(request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "administrators":
            kwargs["queryset"] = get_user_model().objects.filter(groups__name=BASE_ADMINISTRATOR)
        if db_field.name == "activities":
            from django.forms import CheckboxSelectMultiple

            kwargs["widget"] = CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    @admin.display(description=_("stage"))
    def stage(self, obj):
        return obj.get_current_stage_display()

    @admin.display(description=_("meetings held here"))
    def meetings_held_here(self, obj):
        if obj is None or not obj.pk:
            return "—"
        meetings = selectors.base_meetings(base=obj, limit=20)
        if not meetings:
            return _("No meeting of organisational life has been held here yet.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} {} ({})</li>",
                ((m.held_on, m.topic, m.get_kind_display()) for m in meetings),
            ),
        )


class SectionImageInline(admin.TabularInline):
    model = SectionImage
    extra = 0
    fields = ["order", "image", "caption"]


@admin.register(ExhibitionSection)
class ExhibitionSectionAdmin(ScopedAdmin):
    list_display = ["title", "base", "order"]
    list_select_related = ["base"]
    search_fields = ["title", "base__name"]
    autocomplete_fields = ["base"]
    inlines = [SectionImageInline]
    fields = ["base", "order", "title", "text", "on_display"]
    readonly_fields = ["on_display"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/display/",
                self.admin_site.admin_view(self.display_view),
                name="exhibitions_exhibitionsection_display",
            ),
            *super().get_urls(),
        ]

    def display_view(self, request, object_id):
        """Puts an artefact on display in this section (artefact_display), from a date."""
        section = self.get_object(request, object_id)
        if not self.has_change_permission(request, section):
            raise PermissionDenied
        form = DisplayArtefactForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                artefact_display(
                    artefact=form.artefact,
                    base=section.base,
                    section=section,
                    on=form.cleaned_data["on"],
                    by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _("%(artefact)s is on display in %(section)s.")
                    % {"artefact": form.artefact, "section": section.title},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:exhibitions_exhibitionsection_change", args=[section.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Put an artefact on display"),
            "opts": self.opts,
            "original": section,
            "form": form,
        }
        return TemplateResponse(request, "admin/exhibitions/display_artefact.html", context)

    @admin.display(description=_("on display now"))
    def on_display(self, obj):
        if obj is None or not obj.pk:
            return "—"
        displays = obj.current_displays().select_related("artefact")
        add_link = format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:exhibitions_exhibitionsection_display", args=[obj.pk]),
            _("Put an artefact on display"),
        )
        if not displays:
            return format_html("<p>{}</p>{}", _("Nothing is on display in this section."), add_link)
        return format_html(
            "<ul>{}</ul>{}",
            format_html_join(
                "",
                "<li>{} · {}</li>",
                ((d.artefact, _("since %(date)s") % {"date": d.starts_on}) for d in displays),
            ),
            add_link,
        )
