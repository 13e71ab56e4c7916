import datetime
from collections import defaultdict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from simple_history.template_utils import HistoricalRecordContextHelper

from branches.models import Organisation
from core.imports import PortalImportExportMixin
from core.scoped_admin import ScopedAdmin

from . import selectors, services
from .exports import dues_register_workbook
from .forms import (
    DuesEntryForm,
    DuesPaymentForm,
    DuesRegisterForm,
    MemberAddForm,
    StandingChangeForm,
    VoidChangeForm,
)
from .idnumbers import mask_id_number
from .models import CareVisit, DuesBase, DuesPayment, Member, MemberEvent
from .resources import MemberResource

PERSONAL_DATA = "members.view_personal_data"


def sees_personal_data(request):
    return request.user.has_perm(PERSONAL_DATA)


class MaskingContextHelper(HistoricalRecordContextHelper):
    """The history page's list of changes, with ID numbers masked as everywhere else."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if change.field == "id_number":
            return mask_id_number(value)
        return value


class MemberRecordAdmin(ScopedAdmin):
    """Members and their records: scoped like every organisation's records, and their history
    pages mask ID numbers for users without the personal-data permission."""

    def get_historical_record_context_helper(self, request, historical_record):
        if sees_personal_data(request):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskingContextHelper(self.model, historical_record)


class RosterFilter(admin.SimpleListFilter):
    """The current roster by default; the history register (历史党员) one click away."""

    title = _("roster")
    parameter_name = "roster"

    def lookups(self, request, model_admin):
        return [
            ("former", _("history register (left or deceased)")),
            ("all", _("all members")),
        ]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("current roster"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() == "former":
            return queryset.former()
        return queryset.current()


class MemberEventInline(admin.TabularInline):
    model = MemberEvent
    fk_name = "member"
    extra = 0
    fields = [
        "occurred_on",
        "kind",
        "from_organisation",
        "to_organisation",
        "place",
        "note",
        "recorded_by",
        "voided",
    ]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("changes of standing")

    def get_queryset(self, request):
        # The whole history, voided changes included (marked, with their reason).
        return MemberEvent.all_objects.select_related(
            "from_organisation", "to_organisation", "recorded_by", "voided_by"
        )

    @admin.display(description=_("voided"))
    def voided(self, obj):
        if obj.voided_at is None:
            return ""
        return _("voided by %(user)s on %(date)s: %(reason)s") % {
            "user": obj.voided_by,
            "date": obj.voided_at.date(),
            "reason": obj.void_reason,
        }

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DuesBaseInline(admin.TabularInline):
    """The member's dues bases by the month they apply from: a new base is added, earlier ones
    stay (past months keep their price); members.services.dues_base_record writes it."""

    model = DuesBase
    fk_name = "member"
    extra = 0
    fields = ["since", "base", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]
    can_delete = False
    verbose_name_plural = _("dues base history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def has_change_permission(self, request, obj=None):
        # Existing rows are history: shown, not edited; a correction is a new row.
        return False

    def has_add_permission(self, request, obj=None):
        return obj is not None and request.user.has_perm("members.change_member")


@admin.register(Member)
class MemberAdmin(PortalImportExportMixin, MemberRecordAdmin):
    resource_classes = [MemberResource]
    import_export_change_list_template = "admin/members/member/change_list.html"
    change_form_template = "admin/members/member/change_form.html"
    list_display = [
        "name",
        "gender",
        "age",
        "masked_id_number",
        "organisation",
        "category",
        "employment",
        "party_standing",
        "status",
    ]
    list_filter = [
        RosterFilter,
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "category",
        "employment",
        "gender",
        "care_level",
        "disabled",
        "speech_loss",
        "memory_loss",
    ]
    list_select_related = ["organisation"]
    search_fields = ["name", "former_unit_post", "native_place"]
    show_full_result_count = False
    inlines = [DuesBaseInline, MemberEventInline]
    # Standing changes (organisation, category, leaving) are events, recorded on their own page.
    STANDING_FIELDS = ["organisation", "category", "confirmed_on"]
    FIELDSETS = [
        (
            None,
            {
                "fields": [
                    "name",
                    "gender",
                    "ethnicity",
                    "birth_date",
                    "id_number",
                    "native_place",
                    "photo",
                ]
            },
        ),
        (
            _("Party standing"),
            {"fields": ["organisation", "category", "joined_on", "confirmed_on", "status"]},
        ),
        (
            _("Work"),
            {"fields": ["employment", "former_unit_post", "cadre_level", "education", "dues_base"]},
        ),
        (
            pgettext_lazy("fieldset", "Contact"),
            {"fields": ["phone", "address", "guardian", "guardian_phone"]},
        ),
        (
            _("Health and care"),
            {"fields": ["disabled", "speech_loss", "memory_loss", "care_level"]},
        ),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    ADD_FIELDSET = (_("Coming onto the roster"), {"fields": ["entry", "entered_on", "came_from"]})

    # --- what each user sees --------------------------------------------------------------

    def get_list_display(self, request):
        # Chosen per request: the admin instance is shared by every request and thread.
        if sees_personal_data(request):
            return ["id_number" if f == "masked_id_number" else f for f in self.list_display]
        return self.list_display

    def get_search_fields(self, request):
        if sees_personal_data(request):
            return [*self.search_fields, "=id_number"]
        return self.search_fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for title, options in self.FIELDSETS:
            names = list(options["fields"])
            if obj is None and "status" in names:
                names.remove("status")
            if obj is not None and not sees_personal_data(request):
                names = ["masked_id_number" if n == "id_number" else n for n in names]
            fieldsets.append((title, {"fields": names}))
        if obj is None:
            fieldsets.insert(2, self.ADD_FIELDSET)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The current dues base follows its dated history (the inline below the form).
        readonly = [*self.STANDING_FIELDS, "status", "dues_base"]
        if not sees_personal_data(request):
            readonly.append("masked_id_number")
        if not self.has_change_permission(request, obj):
            readonly += [
                f
                for _title, options in self.get_fieldsets(request, obj)
                for f in options["fields"]
                if f not in readonly
            ]
        return readonly

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        organisations = list(Organisation.objects.for_user(request.user).values_list("pk")[:2])
        if len(organisations) == 1:  # a secretary of one branch: their branch, preselected
            initial.setdefault("organisation", organisations[0][0])
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MemberAddForm
        return super().get_form(request, obj, change, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)

    @admin.display(description=_("age"), ordering="-birth_date")
    def age(self, obj):
        return obj.age()

    @admin.display(description=_("Party standing (years)"))
    def party_standing(self, obj):
        return obj.party_standing()

    # --- writes go through the services ---------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        data = form.cleaned_data
        services.member_create(
            member=obj,
            by=request.user,
            entry=data["entry"],
            on=data.get("entered_on"),
            place=data.get("came_from", ""),
        )

    def get_inline_instances(self, request, obj=None):
        # The add page asks for the first base itself (dues_base), as of the entry date.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not DuesBase:
            return super().save_formset(request, form, formset, change)
        for row in formset.save(commit=False):
            services.dues_base_record(
                member=form.instance,
                base=row.base,
                since=row.since,
                note=row.note,
                by=request.user,
            )

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, request=None, **kwargs):
        kwargs = super().get_import_data_kwargs(request=request, **kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    # --- extra pages ----------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "care/",
                self.admin_site.admin_view(self.care_view),
                name="members_member_care",
            ),
            path(
                "<path:object_id>/standing/",
                self.admin_site.admin_view(self.standing_view),
                name="members_member_standing",
            ),
            path(
                "<path:object_id>/void-change/",
                self.admin_site.admin_view(self.void_view),
                name="members_member_void",
            ),
            *super().get_urls(),
        ]

    def void_view(self, request, object_id):
        """Voids the member's latest change of standing with a reason (members.services)."""
        member = self.get_object(request, object_id)
        if member is None or not self.has_change_permission(request, member):
            raise PermissionDenied
        event = (
            member.events.order_by("-occurred_on", "-pk")
            .select_related("from_organisation", "to_organisation")
            .first()
        )
        form = VoidChangeForm(request.POST or None)
        if request.method == "POST" and event is not None and form.is_valid():
            try:
                services.member_event_void(
                    event=event, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    _("%(member)s: the change “%(change)s” of %(date)s is voided.")
                    % {
                        "member": member,
                        "change": event.get_kind_display(),
                        "date": event.occurred_on,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:members_member_change", args=[member.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Void the latest change of standing: %(member)s") % {"member": member},
            "opts": self.opts,
            "original": member,
            "event": event,
            "form": form,
        }
        return TemplateResponse(request, "admin/members/member/void.html", context)

    def standing_view(self, request, object_id):
        """Records a change of standing (转正, 调动, 转出, 去世; 转回 for a member who transferred
        out) through members.services."""
        member = self.get_object(request, object_id)
        if member.status == Member.Status.DECEASED or not self.has_change_permission(
            request, member
        ):
            raise PermissionDenied
        form = StandingChangeForm(request.POST or None, user=request.user, member=member)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            kind = data["kind"]
            try:
                if kind == MemberEvent.Kind.CONFIRMED:
                    services.member_confirm(member=member, on=data["on"], by=request.user)
                elif kind == MemberEvent.Kind.TRANSFERRED_IN:
                    services.member_return(
                        member=member,
                        to_organisation=data["to_organisation"],
                        on=data["on"],
                        by=request.user,
                        place=data["place"],
                        note=data["note"],
                    )
                elif kind == MemberEvent.Kind.MOVED:
                    services.member_move(
                        member=member,
                        to_organisation=data["to_organisation"],
                        on=data["on"],
                        by=request.user,
                        note=data["note"],
                    )
                else:
                    services.member_leave(
                        member=member,
                        kind=kind,
                        on=data["on"],
                        by=request.user,
                        place=data["place"],
                        note=data["note"],
                    )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("%(member)s: %(change)s recorded.")
                    % {"member": member, "change": dict(form.fields["kind"].choices)[kind]},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:members_member_change", args=[member.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record a change of standing: %(member)s") % {"member": member},
            "opts": self.opts,
            "original": member,
            "form": form,
        }
        return TemplateResponse(request, "admin/members/member/standing.html", context)

    def care_view(self, request):
        """关心关爱: birthdays, milestone ages, visits due, probations ending, 50 years' standing."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = datetime.date.today()
        members = self.get_queryset(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Care for members"),
            "opts": self.opts,
            "today": today,
            "birthdays": selectors.birthdays_this_month(members, today),
            "milestones": selectors.turning_milestones(members, today.year),
            "visits_due": selectors.care_visits_due(members, today),
            "probations": selectors.probations_ending(members, today),
            "honours": selectors.standing_honours(members, today.year),
            "can_add_visit": request.user.has_perm("members.add_carevisit"),
        }
        return TemplateResponse(request, "admin/members/member/care.html", context)


@admin.register(MemberEvent)
class MemberEventAdmin(MemberRecordAdmin):
    """Changes of standing, read only: they are written by the services and never edited."""

    list_display = [
        "occurred_on",
        "member",
        "kind",
        "from_organisation",
        "to_organisation",
        "place",
    ]
    list_filter = ["kind"]
    list_select_related = ["member", "from_organisation", "to_organisation"]
    search_fields = ["member__name", "place"]
    list_display = [*list_display, "voided_at"]

    def get_queryset(self, request):
        # The whole history, voided changes included, within the user's scope.
        queryset = MemberEvent.all_objects.for_user(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    date_hierarchy = "occurred_on"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DuesPayment)
class DuesPaymentAdmin(MemberRecordAdmin):
    change_list_template = "admin/members/duespayment/change_list.html"
    list_display = ["member", "organisation", "year", "month", "amount", "paid_on"]
    list_filter = ["year", "month", ("member__organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["member__organisation"]
    search_fields = ["member__name"]
    autocomplete_fields = ["member"]
    show_full_result_count = False
    form = DuesPaymentForm
    fields = ["member", "year", "month", "paid_on", "amount", "base", "rate", "recorded_by"]
    readonly_fields = ["base", "rate", "recorded_by"]

    def get_changeform_initial_data(self, request):
        today = datetime.date.today()
        return {"year": today.year, "month": today.month, "paid_on": today}

    @admin.display(description=_("Party organisation"), ordering="member__organisation")
    def organisation(self, obj):
        return obj.member.organisation

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        payment = services.dues_record(
            member=obj.member,
            year=obj.year,
            month=obj.month,
            paid_on=obj.paid_on,
            by=request.user,
            amount=form.cleaned_data.get("amount"),
        )
        # The admin logs and redirects with the object it passed in: it becomes the one saved.
        vars(obj).update(vars(payment))

    def get_urls(self):
        return [
            path(
                "register/",
                self.admin_site.admin_view(self.register_view),
                name="members_duespayment_register",
            ),
            *super().get_urls(),
        ]

    def register_view(self, request):
        """The dues register (党费收缴台账) of an organisation and year: paid, due and arrears.

        Ticking months (or a member's whole year) and posting records them paid on one day,
        through members.services.dues_record, all or nothing. `?export=xlsx` downloads it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = datetime.date.today()
        form = DuesRegisterForm(request.GET or {"year": today.year}, user=request.user)
        rows, year, organisation = [], today.year, None
        organisations = Organisation.objects.for_user(request.user)
        if form.is_valid():
            year = form.cleaned_data["year"]
            organisation = form.cleaned_data["organisation"]
            if organisation:
                organisations = organisations.filter(pk=organisation.pk)
            rows = selectors.dues_register(organisations, year, today)
        may_record = self.has_add_permission(request)
        entry = DuesEntryForm(request.POST or None, initial={"paid_on": today})
        if request.method == "POST":
            if not may_record or not form.is_valid():
                raise PermissionDenied
            if entry.is_valid():
                recorded = self._record_ticked(request, rows, year, entry.cleaned_data["paid_on"])
                if recorded is not None:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d month of dues recorded as paid.",
                            "%(count)d months of dues recorded as paid.",
                            recorded,
                        )
                        % {"count": recorded},
                    )
                    return HttpResponseRedirect(request.get_full_path())
        if request.GET.get("export") == "xlsx" and form.is_valid():
            return dues_register_workbook(rows, year, organisation)
        totals = {
            "due": sum(r.due or 0 for r in rows),
            "paid": sum(r.paid for r in rows),
            "arrears": sum(r.arrears or 0 for r in rows),
        }
        context = {
            **self.admin_site.each_context(request),
            "title": _("Party dues register %(year)s") % {"year": year},
            "opts": self.opts,
            "form": form,
            "entry": entry if may_record else None,
            "organisation": organisation,
            "year": year,
            "rows": rows,
            "months": list(range(1, 13)),
            "totals": totals,
        }
        return TemplateResponse(request, "admin/members/duespayment/register.html", context)

    def _record_ticked(self, request, rows, year, paid_on):
        """The ticked months (`pay` = member-month) and whole years (`year` = member) of the
        register's rows; returns how many were recorded, or None after an error (nothing is
        written then)."""
        by_pk = {row.member.pk: row for row in rows}
        ticked = defaultdict(set)
        for value in request.POST.getlist("pay"):
            member_pk, _sep, month = value.partition("-")
            row = by_pk.get(int(member_pk)) if member_pk.isdigit() else None
            if row is None or not month.isdigit() or int(month) not in row.payable_months:
                raise PermissionDenied
            ticked[row.member].add(int(month))
        for value in request.POST.getlist("whole_year"):
            row = by_pk.get(int(value)) if value.isdigit() else None
            if row is None:
                raise PermissionDenied
            ticked[row.member].update(row.payable_months)
        if not ticked:
            messages.warning(request, _("Tick the months to record as paid."))
            return None
        try:
            with transaction.atomic():
                for member, months in ticked.items():
                    services.dues_record_months(
                        member=member, year=year, months=months, paid_on=paid_on, by=request.user
                    )
        except ValidationError as error:
            messages.error(
                request,
                _("Nothing was recorded: %(member)s: %(error)s")
                % {"member": member.name, "error": " ".join(error.messages)},
            )
            return None
        return sum(len(months) for months in ticked.values())


@admin.register(CareVisit)
class CareVisitAdmin(MemberRecordAdmin):
    list_display = ["visited_on", "member", "kind", "visitors"]
    list_filter = ["kind", ("member__organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["member"]
    search_fields = ["member__name", "visitors"]
    autocomplete_fields = ["member"]
    date_hierarchy = "visited_on"
    show_full_result_count = False
    fields = ["member", "kind", "visited_on", "visitors", "notes", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("visited_on", datetime.date.today())
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        obj.full_clean()
        obj.save()
