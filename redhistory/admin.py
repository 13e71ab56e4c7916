"""Red history in the admin: bureau staff catalogue veterans, artefacts and oral histories.

Nothing here is hard-deleted (no delete permission or action); an artefact leaves by a recorded
deaccession, an oral history is published only by someone holding
`redhistory.publish_oralhistory`, and every change is kept by simple-history.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Sum
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from core.images import thumbnail_url
from core.imports import PortalImportExportMixin
from core.scoped_admin import HistoryAdmin

from . import services
from .models import (
    Artefact,
    ArtefactImage,
    ConditionCheck,
    CustodyEvent,
    FieldVisit,
    FieldVisitPhoto,
    MicroFilm,
    OralHistory,
    OralHistoryPhoto,
    Release,
    RescueCandidate,
    Screening,
    Segment,
    Veteran,
    VeteranService,
    War,
)
from .resources import ArtefactResource, VeteranResource


def preview(fieldfile, size="small"):
    if not fieldfile:
        return "—"
    return format_html(
        '<img src="{}" alt="" class="admin-thumbnail" loading="lazy">',
        thumbnail_url(fieldfile, size),
    )


class NeverDeletedAdmin(HistoryAdmin):
    """Collection records leave by a recorded event, never by deletion through the UI."""

    def get_resource_kwargs(self, request, *args, **kwargs):
        # Resources hide private columns from users who may only read, and record who imported.
        return {**kwargs, "user": request.user}

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ImagePreviewInline(admin.TabularInline):
    extra = 0
    fields = ["order", "image", "preview", "caption"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return preview(obj.image) if obj and obj.pk else "—"


# Veterans --------------------------------------------------------------------------------


class VeteranServiceInline(admin.TabularInline):
    model = VeteranService
    extra = 0
    fields = ["war", "unit", "post", "from_year", "to_year"]


class LinkedRecordsInline(admin.TabularInline):
    """A veteran's artefacts or oral histories, listed with a link to their own page."""

    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FieldVisitInline(LinkedRecordsInline):
    model = FieldVisit
    fields = ["visited_on", "team", "members", "collected"]
    readonly_fields = fields


class DonatedArtefactInline(LinkedRecordsInline):
    model = Artefact
    fk_name = "donor"
    fields = ["accession_number", "name", "category", "acquisition", "published"]
    readonly_fields = fields
    verbose_name_plural = _("artefacts given or lent")


class NarratedOralHistoryInline(LinkedRecordsInline):
    model = OralHistory
    fields = ["title", "recorded_on", "theme", "status"]
    readonly_fields = fields


class WarFilter(admin.SimpleListFilter):
    title = _("war")
    parameter_name = "war"

    def lookups(self, request, model_admin):
        return War.choices

    def queryset(self, request, queryset):
        if self.value():
            served = VeteranService.objects.filter(veteran=OuterRef("pk"), war=self.value())
            return queryset.filter(Exists(served))
        return queryset


class AliveFilter(admin.SimpleListFilter):
    title = _("living")
    parameter_name = "alive"

    def lookups(self, request, model_admin):
        return [("yes", _("living")), ("no", _("deceased"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(died_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(died_on__isnull=False)
        return queryset


@admin.register(Veteran)
class VeteranAdmin(PortalImportExportMixin, NeverDeletedAdmin):
    resource_classes = [VeteranResource]
    list_display = [
        "name",
        "gender",
        "birth_year",
        "county",
        "war_list",
        "three_losses",
        "public_profile",
    ]
    list_filter = [
        "county",
        WarFilter,
        AliveFilter,
        "public_profile",
        "disabled",
        "aphasic",
        "amnesic",
        "long_illness",
    ]
    search_fields = ["name", "native_place"]
    show_full_result_count = False
    inlines = [
        VeteranServiceInline,
        FieldVisitInline,
        DonatedArtefactInline,
        NarratedOralHistoryInline,
    ]
    readonly_fields = ["portrait_preview"]
    autocomplete_fields = ["member"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "gender",
                    "birth_year",
                    "county",
                    "native_place",
                    "party_joined_on",
                    "army_joined_on",
                    "died_on",
                ]
            },
        ),
        (_("Life story"), {"fields": ["biography", "portrait", "portrait_preview"]}),
        (
            _("Health and family (private)"),
            {
                "fields": [
                    ("disabled", "aphasic", "amnesic", "long_illness"),
                    "guardian_name",
                    "guardian_phone",
                    "member",
                ]
            },
        ),
        (_("Consent"), {"fields": ["public_profile"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("services")

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    @admin.display(description=_("wars"))
    def war_list(self, obj):
        return "、".join(str(war.label) for war in obj.wars) or "—"

    @admin.display(description=_("three losses"))
    def three_losses(self, obj):
        flags = [
            (obj.disabled, _("disabled")),
            (obj.aphasic, _("unable to speak")),
            (obj.amnesic, _("memory loss")),
        ]
        return "、".join(str(label) for flag, label in flags if flag) or "—"

    @admin.display(description=_("portrait"))
    def portrait_preview(self, obj):
        return preview(obj.portrait, "medium") if obj else "—"


@admin.register(RescueCandidate)
class RescueQueueAdmin(admin.ModelAdmin):
    """The rescue queue (抢救性采集): living veterans, most urgent first (score documented in
    redhistory.models and docs/redhistory.md)."""

    list_display = [
        "name",
        "age",
        "county",
        "disabled",
        "aphasic",
        "amnesic",
        "long_illness",
        "has_oral_history",
        "last_visit",
        "rescue_score",
        "veteran_link",
    ]
    list_display_links = None
    list_filter = ["county", "disabled", "aphasic", "amnesic", "long_illness"]
    search_fields = ["name"]
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            RescueCandidate.objects.rescue_queue()
            .annotate(last_visited_on=Max("field_visits__visited_on"))
            .order_by("-rescue_score", "birth_year", "pk")
        )

    def get_ordering(self, request):
        return ["-rescue_score", "birth_year", "pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("redhistory.view_veteran")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("age"))
    def age(self, obj):
        return timezone.localdate().year - obj.birth_year

    @admin.display(description=_("rescue score"), ordering="rescue_score")
    def rescue_score(self, obj):
        return obj.rescue_score

    @admin.display(description=_("oral history recorded"), boolean=True)
    def has_oral_history(self, obj):
        return obj.has_oral_history

    @admin.display(description=_("last visit"))
    def last_visit(self, obj):
        return obj.last_visited_on or "—"

    @admin.display(description=_("veteran"))
    def veteran_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:redhistory_veteran_change", args=[obj.pk]),
            obj.name,
        )


class FieldVisitPhotoInline(ImagePreviewInline):
    model = FieldVisitPhoto


@admin.register(FieldVisit)
class FieldVisitAdmin(NeverDeletedAdmin):
    list_display = ["visited_on", "veteran", "team", "county"]
    list_select_related = ["veteran"]
    list_filter = ["team", "veteran__county"]
    date_hierarchy = "visited_on"
    search_fields = ["veteran__name", "members", "collected"]
    autocomplete_fields = ["veteran"]
    inlines = [FieldVisitPhotoInline]
    show_full_result_count = False

    @admin.display(description=_("county"), ordering="veteran__county")
    def county(self, obj):
        return obj.veteran.get_county_display()


# Artefacts -------------------------------------------------------------------------------


class ArtefactImageInline(ImagePreviewInline):
    model = ArtefactImage


class ConditionCheckInline(admin.TabularInline):
    model = ConditionCheck
    extra = 0
    fields = ["checked_on", "condition", "checked_by", "notes"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CustodyEventForm(forms.ModelForm):
    """A new step in the custody chronology (entry and deaccession have their own steps)."""

    class Meta:
        model = CustodyEvent
        fields = ["kind", "starts_on", "ends_on", "location", "base", "section", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            allowed = {
                CustodyEvent.Kind.STORAGE,
                CustodyEvent.Kind.LOAN_OUT,
                CustodyEvent.Kind.DISPLAY,
                CustodyEvent.Kind.RETURN,
            }
            self.fields["kind"].choices = [
                choice for choice in CustodyEvent.Kind.choices if choice[0] in allowed
            ]


class CustodyEventInline(admin.TabularInline):
    """The chronology: past events read-only, new ones added through services.custody_record."""

    model = CustodyEvent
    form = CustodyEventForm
    extra = 0
    fields = ["kind", "starts_on", "ends_on", "location", "base", "section", "note"]
    autocomplete_fields = ["base"]
    can_delete = False
    verbose_name_plural = _("custody chronology")

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("base", "section")


class LoanDueFilter(admin.SimpleListFilter):
    title = _("loans in")
    parameter_name = "loan"

    def lookups(self, request, model_admin):
        return [("due", _("due back within 30 days")), ("overdue", _("overdue"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.filter(pk__in=Artefact.objects.loans_due(today).values("pk"))
        if self.value() == "overdue":
            return queryset.filter(pk__in=Artefact.objects.loans_overdue(today).values("pk"))
        return queryset


class InCollectionFilter(admin.SimpleListFilter):
    title = _("in the collection")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [("yes", _("in the collection")), ("no", _("deaccessioned"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.in_collection()
        if self.value() == "no":
            return queryset.filter(custody_events__kind=CustodyEvent.Kind.DEACCESSION)
        return queryset


class ArtefactForm(forms.ModelForm):
    entry_location = forms.CharField(
        label=_("entered into"),
        initial=services.ENTRY_LOCATION,
        max_length=200,
        required=False,
        help_text=_("Where the artefact is kept on entry (the first custody event)."),
    )

    class Meta:
        model = Artefact
        # The admin's fieldsets choose the fields shown.
        fields = ["name"]


class DeaccessionForm(forms.Form):
    on = forms.DateField(label=_("date"), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. returned to the lender, transferred to the provincial museum."),
    )


@admin.register(Artefact)
class ArtefactAdmin(PortalImportExportMixin, NeverDeletedAdmin):
    resource_classes = [ArtefactResource]
    form = ArtefactForm
    list_display = [
        "accession_number",
        "thumbnail",
        "name",
        "category",
        "war",
        "donor",
        "condition",
        "loan_due_on",
        "current_place",
        "published",
    ]
    # How an artefact came is a filter, not a column: the list must fit a laptop (1366 px).
    list_display_links = ["accession_number", "name"]
    list_select_related = ["donor"]
    list_filter = [
        "category",
        "war",
        LoanDueFilter,
        InCollectionFilter,
        "condition",
        "acquisition",
        "grade",
        "donor__county",
        "published",
    ]
    search_fields = ["accession_number", "name", "donor__name"]
    autocomplete_fields = ["donor"]
    show_full_result_count = False
    inlines = [ArtefactImageInline, CustodyEventInline, ConditionCheckInline]
    readonly_fields = ["accession_number", "current_place"]
    actions = ["deaccession"]
    change_list_template = "admin/redhistory/artefact/change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "accession_number",
                    "name",
                    "category",
                    "war",
                    "era_text",
                    "made_in",
                    "grade",
                ]
            },
        ),
        (
            _("Description"),
            {"fields": ["material", "dimensions", "quantity", "condition", "story"]},
        ),
        (
            _("Acquisition"),
            {
                "fields": [
                    "donor",
                    "acquisition",
                    "acquired_on",
                    "loan_due_on",
                    "deed",
                    "entry_location",
                    "current_place",
                ]
            },
        ),
        (pgettext_lazy("fieldset", "Public site"), {"fields": ["published"]}),
    ]

    def get_queryset(self, request):
        images = ArtefactImage.objects.order_by("order", "pk")
        return (
            super()
            .get_queryset(request)
            .with_current_custody()
            .prefetch_related(Prefetch("images", queryset=images))
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # The entry is recorded once, when the artefact is added.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "entry_location"]})
            for name, options in fieldsets
        ]

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        services.artefact_enter(
            artefact=obj,
            location=form.cleaned_data.get("entry_location") or services.ENTRY_LOCATION,
            on=obj.acquired_on,
            by=request.user,
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not CustodyEvent:
            if formset.model is ConditionCheck:
                for check in formset.save(commit=False):
                    services.condition_check_record(
                        artefact=form.instance,
                        on=check.checked_on,
                        condition=check.condition,
                        checked_by=check.checked_by,
                        notes=check.notes,
                    )
                return
            super().save_formset(request, form, formset, change)
            return
        for event in formset.save(commit=False):
            try:
                services.custody_record(
                    artefact=form.instance,
                    kind=event.kind,
                    on=event.starts_on,
                    ends_on=event.ends_on,
                    location=event.location,
                    base=event.base,
                    section=event.section,
                    note=event.note,
                    by=request.user,
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "loans": services.loan_summary()}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        images = list(obj.images.all())
        return preview(images[0].image) if images else "—"

    @admin.display(description=_("current place"))
    def current_place(self, obj):
        kind = getattr(obj, "custody_kind", None)
        if kind is None and obj.pk:
            current = obj.current_custody
            if current is None:
                return "—"
            kind, location, base = current.kind, current.location, current.base
            base = base.name if base else None
        elif kind is None:
            return "—"
        else:
            location, base = obj.custody_location, obj.custody_base
        label = CustodyEvent.Kind(kind).label
        return f"{label} · {base or location}" if (base or location) else str(label)

    @admin.action(description=_("Deaccession the selected artefacts"), permissions=["change"])
    def deaccession(self, request, queryset):
        """Asks for the date and reason, then records a deaccession for each artefact."""
        form = DeaccessionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, refused = 0, []
            for artefact in queryset:
                try:
                    services.artefact_deaccession(
                        artefact=artefact,
                        on=form.cleaned_data["on"],
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                    )
                    done += 1
                except ValidationError as error:
                    refused.append(f"{artefact.accession_number}: {' '.join(error.messages)}")
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d artefact deaccessioned.",
                        "%(count)d artefacts deaccessioned.",
                        done,
                    )
                    % {"count": done},
                    messages.SUCCESS,
                )
            for message in refused:
                self.message_user(request, message, messages.ERROR)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deaccession artefacts"),
            "opts": self.opts,
            "form": form,
            "artefacts": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/redhistory/artefact/deaccession.html", context)


# Oral histories --------------------------------------------------------------------------


class ReleaseInline(admin.StackedInline):
    model = Release
    extra = 1
    max_num = 1
    can_delete = False
    fields = ["signed_on", "scope", "embargo_until", "form"]


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 0
    fields = [
        "start_seconds",
        "speaker",
        "title",
        "keywords",
        "synopsis",
        "restricted",
        "artefacts",
    ]
    autocomplete_fields = ["artefacts"]


class OralHistoryPhotoInline(ImagePreviewInline):
    model = OralHistoryPhoto


class EmbargoEndedFilter(admin.SimpleListFilter):
    """Records whose embargo has ended wait here for a publication review, never going public
    by themselves."""

    title = _("embargo")
    parameter_name = "embargo"

    def lookups(self, request, model_admin):
        return [
            ("ended", _("ended: review for publication")),
            ("running", _("still under embargo")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "ended":
            return queryset.filter(pk__in=OralHistory.objects.embargo_ended(today).values("pk"))
        if self.value() == "running":
            return queryset.filter(release__embargo_until__gt=today)
        return queryset


class OralHistoryForm(forms.ModelForm):
    class Meta:
        model = OralHistory
        # The admin's fieldsets choose the fields shown.
        fields = ["status"]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status is not None:
            # Judged on the record as stored (the instance is updated only after clean()); the
            # admin makes the step itself through the service once the release is saved.
            problem = services.oral_history_status_problem(
                story=self.instance, status=status, by=self.user
            )
            if problem is not None:
                self.add_error("status", problem)
        return cleaned


@admin.register(OralHistory)
class OralHistoryAdmin(NeverDeletedAdmin):
    form = OralHistoryForm
    list_display = [
        "title",
        "narrator",
        "recorded_on",
        "theme",
        "period",
        "status",
        "release_scope",
        "embargo_until",
    ]
    list_select_related = ["narrator", "release"]
    list_filter = [
        "status",
        EmbargoEndedFilter,
        "release__scope",
        "theme",
        "period",
        "narrator__county",
    ]
    search_fields = ["title", "narrator__name", "segments__keywords"]
    autocomplete_fields = ["narrator"]
    date_hierarchy = "recorded_on"
    show_full_result_count = False
    inlines = [ReleaseInline, SegmentInline, OralHistoryPhotoInline]
    readonly_fields = ["published_at"]
    actions = ["submit_for_review", "publish", "withdraw"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "narrator",
                    "interviewers",
                    "recorded_on",
                    "place",
                    "duration",
                    "dialect",
                    "theme",
                    "period",
                ]
            },
        ),
        (_("Content"), {"fields": ["summary", "transcript", "video", "audio"]}),
        (_("Publication"), {"fields": ["status", "published_at"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_queryset(self, request):
        # Transcripts run to tens of thousands of characters; the list never shows them.
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer("transcript", "summary")
        return queryset

    def save_model(self, request, obj, form, change):
        # The record is saved in the status it had; save_related makes the step asked for.
        stored = OralHistory.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
        obj.status = stored or OralHistory.Status.DRAFT
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        status = form.cleaned_data.get("status")
        if status is None:
            return
        try:
            # After the inlines, so the service judges the release as saved with this form.
            services.oral_history_status_set(story=form.instance, status=status, by=request.user)
        except ValidationError as error:
            self.message_user(
                request, f"{form.instance}: {' '.join(error.messages)}", messages.ERROR
            )

    def has_publish_permission(self, request):
        return request.user.has_perm("redhistory.publish_oralhistory")

    @admin.display(description=_("release"), ordering="release__scope")
    def release_scope(self, obj):
        try:
            return obj.release.get_scope_display()
        except Release.DoesNotExist:
            return _("no release")

    @admin.display(description=_("embargo until"), ordering="release__embargo_until")
    def embargo_until(self, obj):
        try:
            return obj.release.embargo_until or "—"
        except Release.DoesNotExist:
            return "—"

    def _apply(self, request, queryset, step, done_message):
        done = 0
        for story in queryset:
            try:
                step(story=story, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{story}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.oral_history_submit,
            lambda n: ngettext(
                "%(count)d oral history submitted for review.",
                "%(count)d oral histories submitted for review.",
                n,
            ),
        )

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        self._apply(
            request,
            queryset,
            services.oral_history_publish,
            lambda n: ngettext(
                "%(count)d oral history published.", "%(count)d oral histories published.", n
            ),
        )

    @admin.action(description=_("Withdraw from the public site"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.oral_history_withdraw,
            lambda n: ngettext(
                "%(count)d oral history withdrawn.", "%(count)d oral histories withdrawn.", n
            ),
        )


# Micro-films -----------------------------------------------------------------------------


class ScreeningInline(admin.TabularInline):
    model = Screening
    extra = 0
    fields = ["shown_on", "place", "audience"]


@admin.register(MicroFilm)
class MicroFilmAdmin(NeverDeletedAdmin):
    list_display = ["title", "duration", "published", "screening_count", "audience_total"]
    list_filter = ["published"]
    search_fields = ["title", "veterans__name"]
    autocomplete_fields = ["veterans", "oral_histories"]
    inlines = [ScreeningInline]
    readonly_fields = ["poster_preview"]
    fields = [
        "title",
        "summary",
        "veterans",
        "oral_histories",
        "duration",
        "video",
        "poster",
        "poster_preview",
        "published",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_screenings=Count("screenings"),
                n_audience=Sum("screenings__audience"),
            )
        )

    @admin.display(description=_("screenings"), ordering="n_screenings")
    def screening_count(self, obj):
        return obj.n_screenings

    @admin.display(description=_("audience"), ordering="n_audience")
    def audience_total(self, obj):
        return obj.n_audience or 0

    @admin.display(description=_("poster"))
    def poster_preview(self, obj):
        return preview(obj.poster) if obj else "—"
