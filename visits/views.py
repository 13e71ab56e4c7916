import datetime
import io
import pathlib
import tempfile

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.admin_site import admin_page_context
from core.roles import user_sees_all_bases
from exhibitions.models import EducationBase
from ops import ratelimit
from ops.cache import public_page

from . import export, selectors, services
from .forms import BookingForm, CheckInForm, LookupForm, RangeForm, VisitorCancelForm
from .models import Booking

SESSION_BOOKING = "visits_booking"
# How long a check-in form's token is remembered, so a double tap records the group once.
CHECK_IN_TOKEN_SECONDS = 6 * 60 * 60
# (requests, seconds) per client address; settings.VISITS_RATE_LIMITS overrides each.
RATE_LIMITS = {
    "booking": (5, 60 * 60),
    "lookup": (20, 60 * 60),
    "check_in": (10, 10 * 60),
}


def _allowed(request, action):
    limit, window = getattr(settings, "VISITS_RATE_LIMITS", {}).get(action, RATE_LIMITS[action])
    return ratelimit.allow(request, f"visits:{action}", limit=limit, window=window)


def _too_many(request, form, template, context):
    form.add_error(
        None,
        _("Too many requests from your network; please wait a while and try again."),
    )
    return render(request, template, {**context, "form": form}, status=429)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@public_page("exhibitions")
def booking_start(request):
    """Which base to book. Template: `visits/booking_start.html` with `bases`."""
    return render(request, "visits/booking_start.html", {"bases": selectors.bookable_bases()})


def _calendar(base):
    today = timezone.localdate()
    return selectors.availability(
        base,
        first_day=today + datetime.timedelta(days=services.BOOKING_MIN_DAYS_AHEAD),
        last_day=today + datetime.timedelta(days=services.BOOKING_DAYS_AHEAD),
    )


# "visits" too: every booking changes the places the calendar shows.
@public_page("visits", "exhibitions", fresh_fields=["token"], params=["visit_on", "slot"])
def booking_create(request, slug):
    """A base's booking form under its calendar of the next 90 days. Template:
    `visits/booking_form.html` with `base`, `form`, `days` (selectors.availability).

    A day and slot picked in the calendar come as `?visit_on=&slot=` (no JavaScript needed).
    A refused request keeps what was typed and says everything that was wrong at once; the same
    form sent twice books once.
    """
    base = get_object_or_404(
        EducationBase.objects.public().prefetch_related("activities"), slug=slug
    )
    context = {"base": base}
    if not base.bookings_open:
        return render(request, "visits/booking_form.html", {**context, "form": None})
    context["days"] = _calendar(base)
    if request.method != "POST":
        picked = {k: request.GET[k] for k in ("visit_on", "slot") if request.GET.get(k)}
        form = BookingForm(base=base, initial=picked)
        return render(request, "visits/booking_form.html", {**context, "form": form})
    form = BookingForm(request.POST, base=base)
    if not _allowed(request, "booking"):
        return _too_many(request, form, "visits/booking_form.html", context)
    if form.is_valid():
        data = form.cleaned_data
        try:
            booking, created = services.booking_create(
                base=base,
                visit_on=data["visit_on"],
                slot=data["slot"],
                group_name=data["group_name"],
                contact_name=data["contact_name"],
                phone=data["phone"],
                headcount=data["headcount"],
                category=data["category"],
                activities=data["activities"],
                purpose=data["purpose"],
                token=data["token"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if not created:
                messages.info(request, _("We had already received this booking; it is kept once."))
            request.session[SESSION_BOOKING] = booking.reference
            return redirect("visits:booking-done")
    return render(request, "visits/booking_form.html", {**context, "form": form})


def booking_done(request):
    """The reference code of the booking just made (kept in the session, never in the URL).
    Template: `visits/booking_done.html` with `booking`."""
    reference = request.session.get(SESSION_BOOKING)
    booking = (
        Booking.objects.select_related("base").filter(reference=reference).first()
        if reference
        else None
    )
    if booking is None:
        return redirect("visits:booking-lookup")
    return render(request, "visits/booking_done.html", {"booking": booking})


@public_page("exhibitions", params=["reference"])
def booking_lookup(request):
    """Look a booking up with its code and the phone number given. Template:
    `visits/booking_lookup.html` with `form`, `booking` (None until found), `cancel_form`.
    Sent by POST so that the phone number never appears in an address or a log."""
    booking = None
    cancel_form = None
    if request.method == "POST":
        form = LookupForm(request.POST)
        if not _allowed(request, "lookup"):
            return _too_many(request, form, "visits/booking_lookup.html", {"booking": None})
        if form.is_valid():
            booking = selectors.booking_lookup(
                reference=form.cleaned_data["reference"], phone=form.cleaned_data["phone"]
            )
            if booking is None:
                form.add_error(
                    None, _("No booking has this code and phone number; check both and try again.")
                )
            else:
                # Found: the number is not echoed back, not even in the form's value.
                form = LookupForm()
                if booking.is_open():
                    proof = _cancel_signer.sign(booking.reference)
                    cancel_form = VisitorCancelForm(initial={"proof": proof})
    else:
        # The confirmation's link carries the code; the visitor adds the phone number.
        form = LookupForm(initial={"reference": request.GET.get("reference", "")[:12]})
    context = {"form": form, "booking": booking, "cancel_form": cancel_form}
    return render(request, "visits/booking_lookup.html", context)


# A lookup's proof that the visitor knew the code and the phone, good for half an hour.
_cancel_signer = signing.TimestampSigner(salt="visits.booking-cancel")
CANCEL_PROOF_SECONDS = 30 * 60


@require_POST
def booking_visitor_cancel(request):
    """The visitor cancels the booking they have just looked up (with code and phone)."""
    form = VisitorCancelForm(request.POST)
    if not _allowed(request, "lookup"):
        return _too_many(request, LookupForm(), "visits/booking_lookup.html", {"booking": None})
    try:
        reference = _cancel_signer.unsign(
            request.POST.get("proof", ""), max_age=CANCEL_PROOF_SECONDS
        )
    except signing.BadSignature:
        messages.error(request, _("Please look the booking up again, then cancel it."))
        return redirect("visits:booking-lookup")
    booking = get_object_or_404(Booking.objects.select_related("base"), reference=reference)
    if form.is_valid():
        try:
            booking = services.booking_cancel(booking=booking, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your booking has been cancelled."))
            context = {"form": LookupForm(), "booking": booking, "cancel_form": None}
            return render(request, "visits/booking_lookup.html", context)
    context = {"form": LookupForm(), "booking": booking, "cancel_form": form}
    return render(request, "visits/booking_lookup.html", context, status=400)


# --- on-site check-in -------------------------------------------------------------------------

_check_in_signer = signing.Signer(salt="visits.check-in")


def check_in_signature(base):
    """The part of a base's check-in address that cannot be guessed from its slug."""
    return _check_in_signer.signature(base.slug)[:16]


def check_in_url(request, base):
    path = reverse("visits:check-in", args=[base.slug, check_in_signature(base)])
    return request.build_absolute_uri(path)


def _check_in_base(slug, signature):
    base = get_object_or_404(EducationBase.objects.public(), slug=slug)
    if not signing.constant_time_compare(signature, check_in_signature(base)):
        raise Http404
    return base


# "visits" too: the form offers today's approved bookings.
@public_page("visits", "exhibitions", fresh_fields=["token"])
def check_in(request, slug, signature):
    """The short form the base's QR poster opens. Template: `visits/check_in.html` with
    `base`, `form`, `visit` (after recording) and `created` (False when already counted)."""
    base = _check_in_base(slug, signature)
    context = {"base": base, "visit": None}
    bookings = services.todays_bookings(base=base)
    if request.method != "POST":
        form = CheckInForm(bookings=bookings)
        return render(request, "visits/check_in.html", {**context, "form": form})
    form = CheckInForm(request.POST, bookings=bookings)
    if not _allowed(request, "check_in"):
        return _too_many(request, form, "visits/check_in.html", context)
    if form.is_valid():
        data = form.cleaned_data
        first_tap = cache.add(f"visits:check-in:{data['token']}", 1, CHECK_IN_TOKEN_SECONDS)
        # With Redis down `add` says False for every token: a double tap may then count twice,
        # which is better than losing every group that checks in during the outage.
        if not first_tap and getattr(cache, "available", True):
            messages.info(request, _("Your group has already been recorded; thank you."))
            return render(request, "visits/check_in.html", {**context, "form": None})
        try:
            visit, created = services.visit_check_in(
                base=base,
                booking=data.get("booking"),
                reference=data["reference"],
                group_name=data["group_name"],
                category=data["category"],
                headcount=data["headcount"],
            )
        except ValidationError as error:
            cache.delete(f"visits:check-in:{data['token']}")
            _add_errors(form, error)
        else:
            context.update(form=None, visit=visit, created=created)
            return render(request, "visits/check_in.html", context)
    return render(request, "visits/check_in.html", {**context, "form": form})


def _poster_base(request, slug):
    return get_object_or_404(EducationBase.objects.for_user(request.user), slug=slug)


def _qr(request, base):
    return segno.make(check_in_url(request, base), error="m")


@staff_member_required
def poster(request, slug):
    """A printable A4 poster with the base's check-in QR code. Template: `visits/poster.html`
    with `base`, `svg` (the code, inline) and `url`."""
    base = _poster_base(request, slug)
    buffer = io.BytesIO()
    _qr(request, base).save(buffer, kind="svg", scale=10, border=2, xmldecl=False, svgns=True)
    context = {"base": base, "svg": buffer.getvalue().decode(), "url": check_in_url(request, base)}
    return render(request, "visits/poster.html", context)


@staff_member_required
def poster_image(request, slug, kind):
    """The QR code alone, as SVG or PNG, for a poster made elsewhere."""
    base = _poster_base(request, slug)
    buffer = io.BytesIO()
    if kind == "svg":
        _qr(request, base).save(buffer, kind="svg", scale=10, border=2)
        content_type = "image/svg+xml"
    else:
        _qr(request, base).save(buffer, kind="png", scale=12, border=2)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="check-in-{base.slug}.{kind}"'
    return response


# --- statistics -------------------------------------------------------------------------------


def _range_form(request):
    return RangeForm(request.GET or None, years=selectors.year_range())


def _tables(stats, *, sources):
    tables = [
        (_("By year"), stats.by_year, "year"),
        (_("By visitor category"), stats.by_category, "category"),
        (_("By kind of base"), stats.by_kind, "kind"),
        (_("By county"), stats.by_county, "county"),
        (_("By month"), stats.by_month, "month"),
        (_("By activity"), stats.by_activity, "activity"),
        (_("By base"), stats.by_base, "base"),
    ]
    if sources:
        tables.append((_("By source"), stats.by_source, "source"))
    return tables


def _staff_statistics(request):
    form = _range_form(request)
    first_day, last_day = form.range()
    bases = EducationBase.objects.for_user(request.user)
    sees_all = user_sees_all_bases(request.user)
    # Read from the summary table (fast on any range), not cached: a new visit shows at once.
    stats = selectors.statistics(
        first_day=first_day, last_day=last_day, bases=None if sees_all else bases
    )
    return form, bases, stats


@permission_required("visits.view_statistics")
def statistics(request):
    """Visitor statistics for staff, managers and (for their bases) base administrators.
    Template: `visits/statistics.html` with `form`, `stats`, `chart_data`, `tables`,
    `export_query` and `poster_bases` ((slug, name) of the user's public bases, for their
    check-in posters)."""
    form, bases, stats = _staff_statistics(request)
    context = {
        **admin_page_context(request, _("Visitor statistics")),
        "form": form,
        "stats": stats,
        "chart_data": stats.chart_data(),
        "tables": _tables(stats, sources=True),
        "export_query": request.GET.urlencode(),
        "poster_bases": list(bases.public().order_by("kind", "name").values_list("slug", "name")),
    }
    return render(request, "visits/statistics.html", context)


@permission_required("visits.view_statistics")
def statistics_export(request):
    """The statistics of the range asked for, as an .xlsx file (core's workbook writer)."""
    _form, _bases, stats = _staff_statistics(request)
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "statistics.xlsx"
        export.write_statistics(path, stats, _tables(stats, sources=True))
        body = path.read_bytes()
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"visits-{stats.first_day.isoformat()}-{stats.last_day.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public_page("visits", "exhibitions", params=["year", "start", "end"])
def public_statistics(request):
    """Aggregates only, for everyone: no group names, contacts or single visits.
    Template: `visits/public_statistics.html` with `form`, `stats` and `chart_data`."""
    form = _range_form(request)
    first_day, last_day = form.range()
    stats = selectors.statistics(first_day=first_day, last_day=last_day, public_only=True)
    context = {
        "form": form,
        "stats": stats,
        "chart_data": stats.chart_data(with_sources=False),
        "tables": _tables(stats, sources=False),
    }
    return render(request, "visits/public_statistics.html", context)


# --- the base administrator's day sheet -------------------------------------------------------


@permission_required("visits.view_booking")
def day_sheet(request):
    """The groups expected at the user's bases today and tomorrow, printable, and the approved
    bookings whose day has passed unmarked. Template: `visits/day_sheet.html` with `today`,
    `tomorrow`, `bookings` and `unmarked`."""
    today = timezone.localdate()
    context = {
        "today": today,
        "tomorrow": today + datetime.timedelta(days=1),
        "bookings": list(selectors.day_sheet(request.user, today=today)),
        "unmarked": list(selectors.unmarked_bookings(request.user, today=today)[:50]),
        "closures": list(selectors.closures_ahead(request.user, today=today, days=1)),
    }
    return render(request, "visits/day_sheet.html", context)
