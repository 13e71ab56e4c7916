from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from import_export.admin import ExportMixin

from core.dates import add_months
from core.roles import BRANCH_SECRETARY
from core.scoped_admin import HistoryAdmin, ScopedAdmin, ScopedChoicesMixin

from . import selectors, services
from .models import (
    ActivityRoom,
    AttendanceExemption,
    Honour,
    Meeting,
    MeetingAttendance,
    MeetingPhoto,
    Organisation,
    RoomRating,
    Term,
    TermPost,
    Unit,
)
from .resources import MeetingResource


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = ["name", "kind", "parent", "founded_on", "abolished_on"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = [
        "tree_name",
        "code",
        "kind",
        "unit",
        "is_retiree_branch",
        "member_count",
        "full_count",
        "probationary_count",
        "secretary_name",
        "reminders_link",
    ]
    list_select_related = ["parent", "unit"]
    list_filter = ["kind", "is_retiree_branch", "unit"]
    search_fields = ["name", "short_name", "code"]
    filter_horizontal = ["secretaries"]
    fields = [
        "name",
        "short_name",
        "code",
        "kind",
        "parent",
        "unit",
        "is_retiree_branch",
        "founded_on",
        "contact_person",
        "contact_phone",
        "secretaries",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_counts().with_current_secretary()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "secretaries":
            kwargs["queryset"] = get_user_model().objects.filter(groups__name=BRANCH_SECRETARY)
            return admin.ModelAdmin.formfield_for_manytomany(self, db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "reminders/",
                view(self.reminders_view),
                name="branches_organisation_reminders_all",
            ),
            path(
                "<path:object_id>/reminders/",
                view(self.reminders_view),
                name="branches_organisation_reminders",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("name"), ordering="code")
    def tree_name(self, obj):
        if obj.parent_id:
            return format_html("└ {}", obj.name)
        return obj.name

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("full members"), ordering="full_count")
    def full_count(self, obj):
        return obj.full_count

    @admin.display(description=_("probationary members"), ordering="probationary_count")
    def probationary_count(self, obj):
        return obj.probationary_count

    @admin.display(description=_("secretary"))
    def secretary_name(self, obj):
        return obj.secretary_name or "—"

    @admin.display(description=_("reminders"))
    def reminders_link(self, obj):
        url = reverse("admin:branches_organisation_reminders", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("reminders"))

    def reminders_view(self, request, object_id=None):
        """The reminders of one organisation, or of every organisation the user sees."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        organisations = Organisation.objects.for_user(request.user)
        organisation = None
        if object_id is not None:
            organisation = self.get_object(request, object_id)
            organisations = organisations.filter(pk=organisation.pk)
        today = timezone.localdate()
        organisations = list(organisations.order_by("code"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": (
                _("Reminders for %(organisation)s") % {"organisation": organisation}
                if organisation
                else _("Reminders")
            ),
            "organisation": organisation,
            "today": today,
            "warning_until": add_months(today, 6),
            **selectors.reminders(organisations=organisations, today=today),
        }
        return TemplateResponse(request, "admin/branches/reminders.html", context)


class TermPostInline(ScopedChoicesMixin, admin.TabularInline):
    model = TermPost
    extra = 0
    autocomplete_fields = ["member"]


class TermStatusFilter(admin.SimpleListFilter):
    title = _("election")
    parameter_name = "election"

    def lookups(self, request, model_admin):
        return [
            ("due", _("due within six months")),
            ("overdue", pgettext_lazy("term", "overdue")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_within()
        if self.value() == "overdue":
            return queryset.overdue()
        return queryset


@admin.register(Term)
class TermAdmin(ScopedAdmin):
    list_display = ["organisation", "starts_on", "due_on", "election_status"]
    list_select_related = ["organisation"]
    list_filter = [TermStatusFilter, ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["organisation__name", "note"]
    date_hierarchy = "starts_on"
    fields = ["organisation", "starts_on", "due_on", "note"]
    readonly_fields = ["due_on"]
    inlines = [TermPostInline]

    @admin.display(description=_("election"))
    def election_status(self, obj):
        today = timezone.localdate()
        if obj.due_on < today:
            return pgettext_lazy("term", "overdue")
        if obj.due_on <= add_months(today, 6):
            return _("due within six months")
        return "—"


class RoomRatingInline(admin.TabularInline):
    model = RoomRating
    extra = 0


@admin.register(ActivityRoom)
class ActivityRoomAdmin(ScopedAdmin):
    list_display = ["name", "unit", "stars", "used_by"]
    list_select_related = ["unit"]
    search_fields = ["name", "address"]
    filter_horizontal = ["organisations"]
    inlines = [RoomRatingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_current_stars().prefetch_related("organisations")

    @admin.display(description=_("current rating"), ordering="current_stars")
    def stars(self, obj):
        return "★" * obj.current_stars if obj.current_stars else "—"

    @admin.display(description=_("Party organisations using it"))
    def used_by(self, obj):
        return "、".join(o.short_name or o.name for o in obj.organisations.all())


@admin.register(Honour)
class HonourAdmin(ScopedAdmin):
    list_display = ["year", "title", "awarded_by", "organisation", "member"]
    list_select_related = ["organisation", "member"]
    list_filter = ["year", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "awarded_by", "organisation__name", "member__name"]
    autocomplete_fields = ["member"]


@admin.register(AttendanceExemption)
class AttendanceExemptionAdmin(ScopedAdmin):
    list_display = ["member", "organisation", "reason", "note", "starts_on", "ends_on"]
    list_select_related = ["member__organisation"]
    list_filter = ["reason"]
    search_fields = ["member__name", "note"]
    autocomplete_fields = ["member"]

    @admin.display(description=_("Party organisation"))
    def organisation(self, obj):
        return obj.member.organisation


class MeetingAttendanceInline(ScopedChoicesMixin, admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "status", "reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


class MeetingPhotoInline(admin.TabularInline):
    model = MeetingPhoto
    extra = 0
    fields = ["image", "caption"]


@admin.register(Meeting)
class MeetingAdmin(ExportMixin, ScopedAdmin):
    resource_classes = [MeetingResource]
    # Any base may host a meeting: a secretary picks it from every base, not only their own.
    unscoped_choices = ["base"]
    import_export_change_list_template = "admin/branches/meeting/change_list.html"
    list_display = [
        "held_on",
        "topic",
        "kind",
        "organisation",
        "base",
        "present_total",
        "expected_total",
    ]
    list_select_related = ["organisation", "base"]
    list_filter = ["kind", ("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["topic", "place"]
    date_hierarchy = "held_on"
    show_full_result_count = False
    fields = ["organisation", "kind", "held_on", "topic", "place", "base", "minutes"]
    inlines = [MeetingAttendanceInline, MeetingPhotoInline]
    actions = ["fill_attendance"]

    def get_queryset(self, request):
        # Minutes can run long; the list never shows them.
        return super().get_queryset(request).with_attendance_counts().defer("minutes")

    def get_urls(self):
        return [
            path(
                "yearly/",
                self.admin_site.admin_view(self.yearly_view),
                name="branches_meeting_yearly",
            ),
            *super().get_urls(),
        ]

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    @admin.display(description=_("present"), ordering="present_total")
    def present_total(self, obj):
        return obj.present_total

    @admin.display(description=_("expected to attend"), ordering="expected_total")
    def expected_total(self, obj):
        return obj.expected_total

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting = form.instance
        if not change and not meeting.attendances.exists():
            services.meeting_fill_attendance(meeting=meeting, by=request.user)
        services.meeting_recorded(meeting=meeting)

    @admin.action(
        description=_("Put the organisation's current members on the attendance"),
        permissions=["change"],
    )
    def fill_attendance(self, request, queryset):
        added = 0
        for meeting in queryset:
            added += services.meeting_fill_attendance(meeting=meeting, by=request.user)
            services.meeting_recorded(meeting=meeting)
        self.message_user(
            request,
            ngettext(
                "%(count)d member was put on the attendance.",
                "%(count)d members were put on the attendance.",
                added,
            )
            % {"count": added},
            messages.SUCCESS,
        )

    def yearly_view(self, request):
        """Meetings held per organisation, kind and month of a year, against the frequency."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 1921), today.year + 1)
        organisations = Organisation.objects.for_user(request.user)
        chosen = request.GET.get("organisation")
        if chosen:
            organisations = organisations.filter(pk=chosen if chosen.isdigit() else None)
            if not organisations.exists():
                raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Organisational life in %(year)s") % {"year": year},
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "chosen": chosen,
            "all_organisations": Organisation.objects.for_user(request.user).order_by("code"),
            "organisation_years": selectors.yearly_meetings(
                organisations=organisations, year=year, today=today
            ),
            "months": range(1, 13),
        }
        return TemplateResponse(request, "admin/branches/meeting_yearly.html", context)
