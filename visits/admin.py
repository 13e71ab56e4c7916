from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.imports import PortalImportExportMixin
from core.scoped_admin import ScopedAdmin
from exhibitions.models import EducationBase

from . import services
from .forms import DecisionForm, RecordVisitForm
from .models import Booking, Visit
from .resources import VisitResource


class BaseFilter(admin.SimpleListFilter):
    """The user's own bases only (a base administrator is not offered the others)."""

    title = _("education base")
    parameter_name = "base"

    def lookups(self, request, model_admin):
        return list(
            EducationBase.objects.for_user(request.user)
            .order_by("kind", "name")
            .values_list("pk", "name")
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(base_id=self.value())
        return queryset


@admin.register(Visit)
class VisitAdmin(PortalImportExportMixin, ScopedAdmin):
    resource_classes = [VisitResource]
    list_display = [
        "visited_on",
        "base",
        "group_name",
        "category",
        "headcount",
        "source",
    ]
    list_filter = ["category", "source", "base__kind", "base__county", BaseFilter]
    list_select_related = ["base"]
    search_fields = ["group_name", "guide"]
    date_hierarchy = "visited_on"
    # The visits table grows to millions of rows: no second COUNT(*) of the whole table.
    show_full_result_count = False
    list_per_page = 50
    fields = [
        "base",
        "visited_on",
        "group_name",
        "category",
        "headcount",
        "activities",
        "guide",
        "notes",
        "source",
        "meeting",
        "booking_link",
    ]
    readonly_fields = ["source", "meeting", "booking_link"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.source == Visit.Source.MEETING:
            # Counted from the meeting's attendance: edited there, or it would drift.
            return [f for f in self.fields if f != "booking_link"] + ["booking_link"]
        return super().get_readonly_fields(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "activities":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("activities")

    @admin.display(description=_("booking"))
    def booking_link(self, obj):
        booking = getattr(obj, "booking", None) if obj and obj.pk else None
        if booking is None:
            return "—"
        url = reverse("admin:visits_booking_change", args=[booking.pk])
        return format_html('<a href="{}">{}</a>', url, booking.reference)


class BookingAdminForm(forms.ModelForm):
    """A booking as staff change it: a new day, slot or headcount must still fit the slot."""

    def clean(self):
        cleaned = super().clean()
        booking = self.instance
        moved = {"visit_on", "slot", "headcount"} & set(self.changed_data)
        if booking.pk and moved and not moved & set(self.errors):
            try:
                services.check_booking_places(
                    booking,
                    visit_on=cleaned.get("visit_on", booking.visit_on),
                    slot=cleaned.get("slot", booking.slot),
                    headcount=cleaned.get("headcount", booking.headcount),
                )
            except ValidationError as error:
                self.add_error(None, error)  # under the field it names (headcount)
        return cleaned


@admin.register(Booking)
class BookingAdmin(ScopedAdmin):
    form = BookingAdminForm
    list_display = [
        "reference",
        "visit_on",
        "slot",
        "base",
        "group_name",
        "headcount",
        "category",
        "status",
        "created_at",
    ]
    list_filter = ["status", "slot", "category", BaseFilter]
    list_select_related = ["base"]
    search_fields = ["reference", "group_name", "contact_name", "=phone"]
    date_hierarchy = "visit_on"
    show_full_result_count = False
    actions = ["approve_selected"]
    fields = [
        "reference",
        "status",
        "base",
        "visit_on",
        "slot",
        "group_name",
        "contact_name",
        "phone",
        "headcount",
        "category",
        "activities",
        "purpose",
        "reason",
        "created_at",
        "decided_by",
        "decided_at",
        "visit_link",
    ]
    readonly_fields = [
        "reference",
        "status",
        "base",
        "reason",
        "created_at",
        "decided_by",
        "decided_at",
        "visit_link",
    ]
    change_form_template = "admin/visits/booking/change_form.html"

    ACTIONS = {
        "approve": _("Approve the booking"),
        "reject": _("Reject the booking"),
        "cancel": _("Cancel the booking"),
        "record": _("The group has come: record the visit"),
    }

    def has_add_permission(self, request):
        # Bookings come from the public form, which checks dates and places.
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_open():
            return list(self.fields)
        return super().get_readonly_fields(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "activities":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/<str:action>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="visits_booking_decide",
            ),
            *super().get_urls(),
        ]

    def available_actions(self, booking):
        status = Booking.Status
        return {
            status.PENDING: ["approve", "reject", "cancel"],
            status.APPROVED: ["record", "cancel"],
        }.get(booking.status, [])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            context["booking_actions"] = [
                (reverse("admin:visits_booking_decide", args=[obj.pk, name]), self.ACTIONS[name])
                for name in self.available_actions(obj)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def decide_view(self, request, object_id, action):
        """Approve, reject (with a reason), cancel, or record the visit of one booking."""
        booking = self.get_object(request, object_id)
        if action not in self.ACTIONS or not self.has_change_permission(request, booking):
            raise PermissionDenied
        form_class = RecordVisitForm if action == "record" else DecisionForm
        initial = {"headcount": booking.headcount} if action == "record" else {}
        form = form_class(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "approve":
                    services.booking_approve(booking=booking, by=request.user)
                    done = _("Booking %(reference)s is approved.")
                elif action == "reject":
                    services.booking_reject(booking=booking, by=request.user, reason=data["reason"])
                    done = _("Booking %(reference)s is rejected.")
                elif action == "cancel":
                    services.booking_cancel(booking=booking, by=request.user, reason=data["reason"])
                    done = _("Booking %(reference)s is cancelled.")
                else:
                    services.booking_record_visit(
                        booking=booking,
                        by=request.user,
                        headcount=data["headcount"],
                        guide=data["guide"],
                        notes=data["notes"],
                    )
                    done = _("The visit of booking %(reference)s is recorded.")
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        for message in errors:
                            form.add_error(name if name in form.fields else None, message)
                else:
                    for message in error.messages:
                        form.add_error(None, message)
            else:
                self.message_user(
                    request, done % {"reference": booking.reference}, messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:visits_booking_change", args=[booking.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": self.ACTIONS[action],
            "opts": self.opts,
            "original": booking,
            "booking": booking,
            "form": form,
            "action": action,
        }
        return TemplateResponse(request, "admin/visits/booking/decide.html", context)

    @admin.action(description=_("Approve the selected bookings"), permissions=["change"])
    def approve_selected(self, request, queryset):
        approved = 0
        for booking in queryset.filter(status=Booking.Status.PENDING):
            services.booking_approve(booking=booking, by=request.user)
            approved += 1
        self.message_user(
            request,
            ngettext("%(count)d booking approved.", "%(count)d bookings approved.", approved)
            % {"count": approved},
            messages.SUCCESS,
        )

    @admin.display(description=_("visit"))
    def visit_link(self, obj):
        if obj is None or obj.visit_id is None:
            return "—"
        url = reverse("admin:visits_visit_change", args=[obj.visit_id])
        return format_html('<a href="{}">{}</a>', url, obj.visit)
