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
from .models import Booking, Closure, Visit
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


class VisitAdminForm(forms.ModelForm):
    """A visit typed by staff: a group already counted that day at that base is refused."""

    def clean(self):
        cleaned = super().clean()
        base, day, group = (cleaned.get(k) for k in ("base", "visited_on", "group_name"))
        if base is not None and day and group:
            try:
                services.check_not_counted(
                    base_id=base.pk, on=day, group_name=group, exclude=self.instance
                )
            except ValidationError as error:
                self.add_error("group_name", error)
        return cleaned


@admin.register(Visit)
class VisitAdmin(PortalImportExportMixin, ScopedAdmin):
    form = VisitAdminForm
    resource_classes = [VisitResource]
    list_display = [
        "visited_on",
        "base",
        "group_name",
        "category",
        "headcount",
        "source",
        "needs_review",
    ]
    list_filter = ["needs_review", "category", "source", "base__kind", "base__county", BaseFilter]
    actions = ["keep_selected", "reject_selected"]
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
        "needs_review",
        "meeting",
        "booking_link",
    ]
    readonly_fields = ["source", "needs_review", "meeting", "booking_link"]

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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            # The group booked: this visit is its one count (the booking becomes visited).
            services.visit_complete_booking(visit=form.instance)

    @admin.action(description=_("Keep the selected check-ins"), permissions=["change"])
    def keep_selected(self, request, queryset):
        kept = 0
        for visit in queryset.filter(needs_review=True):
            services.visit_keep(visit=visit, by=request.user)
            kept += 1
        self.message_user(
            request,
            ngettext("%(count)d check-in kept.", "%(count)d check-ins kept.", kept)
            % {"count": kept},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected check-ins"), permissions=["change"])
    def reject_selected(self, request, queryset):
        rejected = 0
        for visit in queryset.filter(needs_review=True):
            services.visit_reject(visit=visit, by=request.user)
            rejected += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d check-in rejected; it no longer counts.",
                "%(count)d check-ins rejected; they no longer count.",
                rejected,
            )
            % {"count": rejected},
            messages.SUCCESS,
        )

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("activities")

    @admin.display(description=_("booking"))
    def booking_link(self, obj):
        booking = getattr(obj, "booking", None) if obj and obj.pk else None
        if booking is None:
            return "—"
        url = reverse("admin:visits_booking_change", args=[booking.pk])
        return format_html('<a href="{}">{}</a>', url, booking.reference)


class BookingRefused(Exception):
    """The service refused a phone booking the form had passed: carries its ValidationError."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


class BookingAdminForm(forms.ModelForm):
    """A booking as staff change it: a new day, slot or headcount must still fit the slot."""

    # The refusal of a save that lost a race for the last places (BookingAdmin.changeform_view).
    refused = None

    def add_errors(self, errors):
        for name, messages_ in errors.items():
            for message in messages_:
                self.add_error(name if name in self.fields else None, message)

    def clean(self):
        cleaned = super().clean()
        booking = self.instance
        if self.refused is not None:
            self.add_errors(self.refused.update_error_dict({}))
            return cleaned
        if booking.pk is None:
            # Taken by phone: the public form's rules (days, closures, places), all at once.
            if not self.errors:
                for name in ("base", "visit_on", "slot", "group_name", "contact_name", "phone"):
                    setattr(booking, name, cleaned.get(name))
                booking.headcount = cleaned.get("headcount")
                booking.category = cleaned.get("category")
                self.add_errors(
                    services.booking_errors(booking, cleaned.get("activities") or [], by_phone=True)
                )
            return cleaned
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
    # Date and half-day in one column, and no creation time, so that the status (what a base
    # administrator looks for) stays in view on a laptop beside the sidebar and the filters.
    list_display = [
        "reference",
        "visit_when",
        "base",
        "group_name",
        "headcount",
        "category",
        "status",
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
        "no_show": _("The group did not come: mark a no-show"),
    }

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            # A booking taken by phone: the base is chosen; the rest is the service's.
            return [f for f in self.readonly_fields if f != "base"]
        if not obj.is_open():
            return list(self.fields)
        return super().get_readonly_fields(request, obj)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [f for f in self.fields if f not in self.readonly_fields or f == "base"]
        return super().get_fields(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except BookingRefused as refused:
            # Someone took the last places between the form's check and the save (two phones
            # ringing at once): the save was rolled back; the form comes back with what was typed
            # and the service's reason, as any other refusal would.
            request.booking_refused = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "booking_refused", None)
        if refused is None:
            return form
        return type(form.__name__, (form,), {"refused": refused})

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            booking, _created = self._booking_create(request, data)
        except ValidationError as error:
            raise BookingRefused(error) from error
        # The admin goes on with the object it holds (activities, the log, the redirect).
        obj.__dict__.update({k: v for k, v in booking.__dict__.items() if k != "_state"})
        obj._state.adding = False

    def _booking_create(self, request, data):
        return services.booking_create(
            base=data["base"],
            visit_on=data["visit_on"],
            slot=data["slot"],
            group_name=data["group_name"],
            contact_name=data["contact_name"],
            phone=data["phone"],
            headcount=data["headcount"],
            category=data["category"],
            activities=data.get("activities") or [],
            purpose=data.get("purpose", ""),
            by=request.user,
        )

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
            status.APPROVED: ["record", "no_show", "cancel"],
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
                elif action == "no_show":
                    services.booking_mark_no_show(booking=booking, by=request.user)
                    done = _("Booking %(reference)s is marked as a no-show.")
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

    @admin.display(description=_("date of the visit"), ordering="visit_on")
    def visit_when(self, obj):
        return f"{obj.visit_on:%Y-%m-%d} {obj.get_slot_display()}"

    @admin.display(description=_("visit"))
    def visit_link(self, obj):
        if obj is None or obj.visit_id is None:
            return "—"
        url = reverse("admin:visits_visit_change", args=[obj.visit_id])
        return format_html('<a href="{}">{}</a>', url, obj.visit)


@admin.register(Closure)
class ClosureAdmin(ScopedAdmin):
    list_display = ["base", "first_day", "last_day", "reason"]
    list_filter = [BaseFilter]
    list_select_related = ["base"]
    search_fields = ["reason", "base__name"]
    date_hierarchy = "first_day"
