"""The sheets of the yearly report, one small function each, and the builder that runs them.

A sheet function takes the `ReportWorkbook` and the `ReportData` and writes one sheet. `SHEETS`
lists them in order, with whether a branch secretary's report includes them: a secretary gets
their own organisations' 概况, 党组织, 党员 and 离退休干部, and none of the bureau-wide sheets.
"""

from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from branches.models import Meeting, Organisation
from core.counties import County
from core.workbook import DAY, NUMBER, TEXT, Column, ReportWorkbook, fitted_widths, mask_id_number
from exhibitions.models import Activity, ConstructionMilestone, EducationBase
from members.choices import CadreLevel
from members.models import Member, MemberEvent
from ops import audit
from ops.models import AccessLog
from redhistory.models import Artefact, War
from visits.models import Booking, Visit

from .selectors import RETIRED, THREE_MEETINGS_ONE_LECTURE, ReportData


def labels(choices):
    return {value: str(label) for value, label in choices}


def heading(data, title):
    return _("%(years)s · %(title)s") % {"years": years_label(data.scope), "title": title}


def years_label(scope):
    if scope.start_year == scope.end_year:
        return _("Year %(year)s") % {"year": scope.start_year}
    return _("Years %(start)s to %(end)s") % {"start": scope.start_year, "end": scope.end_year}


def yes_no(value):
    return _("yes") if value else _("no")


def write_tables(book, title, data, tables):
    """A sheet of stacked tables: [(caption, columns, rows, totals label or None)].

    A single table's header stays frozen and printed on every page; a stack keeps its title.
    """
    widths = fitted_widths([(columns, rows) for _caption, columns, rows, _total in tables])
    if len(tables) == 1:
        header_row = 3 if tables[0][0] else 2
        sheet = book.sheet(
            title, widths=widths, freeze=f"A{header_row + 1}", title_rows=f"1:{header_row}"
        )
    else:
        sheet = book.sheet(title, widths=widths, freeze="A2", title_rows="1:1")
    sheet.title(heading(data, title))
    positions = []
    for index, (caption, columns, rows, totals_label) in enumerate(tables):
        if index:
            sheet.blank()
        positions.append(sheet.table(columns, rows, caption=caption, totals_label=totals_label))
    return sheet, positions


# --- 概况 ---------------------------------------------------------------------------------------


def overview(book, data):
    orgs = data.organisations
    kinds = Counter(kind for _pk, _name, kind, *_rest in orgs)
    members = Counter()
    for counter in data.member_counts.values():
        members.update(counter)
    changes = Counter()
    for counter in data.member_changes.values():
        changes.update(counter)
    meetings = Counter()
    for counter in data.meeting_counts.values():
        meetings.update(counter)
    events = Counter()
    for counter in data.member_events.values():
        events.update(counter)
    periods_due = periods_missed = 0
    for pk, _name, kind, *_rest in orgs:
        expected, missed = data.meeting_periods(pk, kind)
        periods_due += expected or 0
        periods_missed += missed or 0
    terms = data.terms
    first, last = data.scope.first_day, data.scope.last_day
    stars = Counter(rating for _name, rating, _orgs in data.room_ratings.values())
    unit_org, unit_person, unit_time, unit_item = (
        _("organisations"),
        _("people"),
        _("times"),
        _("items"),
    )
    rows = [
        (_("Party organisations"), len(orgs), unit_org),
        (_("of which general Party branches"), kinds[Organisation.Kind.GENERAL_BRANCH], unit_org),
        (_("of which Party branches"), kinds[Organisation.Kind.BRANCH], unit_org),
        (
            _("of which retired cadres' branches"),
            sum(1 for org in orgs if org[4]),
            unit_org,
        ),
        (_("Party members on the roster"), members[Member.Status.CURRENT], unit_person),
        (_("of which full members"), members[Member.Category.FULL], unit_person),
        (_("of which probationary members"), members[Member.Category.PROBATIONARY], unit_person),
        (
            _("of which retired cadres"),
            sum(members[employment] for employment in RETIRED),
            unit_person,
        ),
        (_("Joined the Party in the year"), changes["joined"], unit_person),
        (_("Confirmed as full members in the year"), changes["confirmed"], unit_person),
        (_("Meetings of organisational life held"), meetings.total(), unit_time),
        (
            _("of which three meetings and one lecture"),
            sum(meetings[kind] for kind in THREE_MEETINGS_ONE_LECTURE),
            unit_time,
        ),
        (_("Three-meetings-one-lecture periods due"), periods_due, _("periods")),
        (_("of which without the meeting"), periods_missed, _("periods")),
        (_("Transferred in during the year"), events[MemberEvent.Kind.TRANSFERRED_IN], unit_person),
        (
            _("Transferred out during the year"),
            events[MemberEvent.Kind.TRANSFERRED_OUT],
            unit_person,
        ),
        (_("Died during the year"), events[MemberEvent.Kind.DECEASED], unit_person),
        (
            _("Committee elections held"),
            sum(term["elections"] for term in terms.values()),
            unit_org,
        ),
        (
            _("Committee terms overdue at year end"),
            sum(1 for term in terms.values() if term["due"] and term["due"] < last),
            unit_org,
        ),
        (
            _("Honours received in the year"),
            sum(
                1
                for honours in data.honours.values()
                for year, _title in honours
                if year >= first.year
            ),
            pgettext("yearly report unit", "honours"),
        ),
        (_("Five-star Party activity rooms"), stars[5], _("rooms")),
        (_("Three-star Party activity rooms"), stars[3], _("rooms")),
        (
            _("Party dues collected"),
            sum((amount for _n, amount in data.dues_collected.values()), Decimal("0.00")),
            _("yuan"),
        ),
    ]
    if not data.scope.restricted:
        red = data.red_resources
        bases = Counter(kind for _pk, _name, kind, *_rest in data.bases)
        visitors = Counter()
        visits = 0
        for (_base, category), (count, headcount) in data.visits_by_base_category.items():
            visitors[category] += headcount
            visits += count
        rows += [
            (_("Revolutionary veterans on record"), red["veterans"]["total"], unit_person),
            (_("Veterans who gave red artefacts"), red["veterans"]["donors"], unit_person),
            (_("Red artefacts in the collection"), data.artefacts_total, unit_item),
            (
                _("Red artefacts collected in the year"),
                sum(data.artefacts_collected.values()),
                unit_item,
            ),
            (_("Veterans visited in the year"), red["veterans"]["visited"], unit_person),
            (_("Oral histories recorded in the year"), red["oral"]["recorded"], unit_item),
            (_("Oral histories published in the year"), red["oral"]["published"], unit_item),
            (_("Oral histories published"), red["oral"]["published_total"], unit_item),
            (_("Micro-films"), red["films"]["total"], _("films")),
            (_("Micro-film screenings in the year"), red["films"]["shows"], unit_time),
            (_("Red education bases"), len(data.bases), unit_org),
        ]
        base_kinds = labels(EducationBase.Kind.choices)
        rows += [
            (_("of which %(kind)s") % {"kind": label}, bases[kind], unit_org)
            for kind, label in base_kinds.items()
        ]
        bookings = data.bookings
        rows += [
            (_("Visitors received"), visitors.total(), pgettext("yearly report unit", "visitors")),
            (_("Visiting groups"), visits, pgettext("yearly report unit", "groups")),
            (
                _("Bookings received"),
                sum(n for n, _people in bookings.values()),
                pgettext("yearly report unit", "bookings"),
            ),
        ]
        rows += [
            (
                _("of which %(kind)s") % {"kind": label},
                visitors[category],
                pgettext("yearly report unit", "visitors"),
            )
            for category, label in labels(Visit.Category.choices).items()
        ]
    columns = [Column(_("Item")), Column(_("Figure"), "int"), Column(_("Unit"))]
    write_tables(book, _("Overview"), data, [(None, columns, rows, None)])


# --- 党组织 -------------------------------------------------------------------------------------


def organisations(book, data):
    kinds = labels(Organisation.Kind.choices)
    columns = [
        Column(_("Party organisation")),
        Column(_("Kind")),
        Column(_("Unit")),
        Column(_("Retired cadres' branch")),
        Column(_("Members on the roster"), "int"),
        Column(_("Full members"), "int"),
        Column(_("Probationary members"), "int"),
        Column(_("Retired cadres"), "int"),
        Column(_("Joined in the year"), "int"),
        Column(_("Confirmed in the year"), "int"),
        Column(_("Transferred in"), "int"),
        Column(_("Moved in"), "int"),
        Column(_("Moved out"), "int"),
        Column(_("Transferred out"), "int"),
        Column(_("Died"), "int"),
        Column(_("Meetings held"), "int"),
        Column(_("Three meetings and one lecture"), "int"),
        Column(_("Themed Party days"), "int"),
        Column(_("Periods due"), "int"),
        Column(_("Periods without the meeting"), "int"),
    ]
    rows = []
    for pk, name, kind, unit, retiree, _parent in data.organisations:
        members = data.member_counts.get(pk, Counter())
        changes = data.member_changes.get(pk, Counter())
        events = data.member_events.get(pk, Counter())
        meetings = data.meeting_counts.get(pk, Counter())
        expected, missed = data.meeting_periods(pk, kind)
        rows.append(
            (
                name,
                kinds.get(kind, kind),
                unit,
                yes_no(retiree),
                members[Member.Status.CURRENT],
                members[Member.Category.FULL],
                members[Member.Category.PROBATIONARY],
                sum(members[employment] for employment in RETIRED),
                changes["joined"],
                changes["confirmed"],
                events[MemberEvent.Kind.TRANSFERRED_IN],
                events["moved_in"],
                events["moved_out"],
                events[MemberEvent.Kind.TRANSFERRED_OUT],
                events[MemberEvent.Kind.DECEASED],
                meetings.total(),
                sum(meetings[kind] for kind in THREE_MEETINGS_ONE_LECTURE),
                meetings[Meeting.Kind.THEMED_DAY],
                expected,
                missed,
            )
        )
    caption = _(
        "A general branch's row counts only the members it keeps directly. Changes are the "
        "members' recorded events in the year; periods are the quarters and months of the three "
        "meetings and one lecture that ended in the year, which bind Party branches."
    )

    stars = defaultdict(int)
    for _room, rating, organisation_ids in data.room_ratings.values():
        for organisation in organisation_ids:
            stars[organisation] = max(stars[organisation], rating)
    dues_columns = [
        Column(_("Party organisation")),
        Column(_("Committee elected on"), "date"),
        Column(_("Next election due"), "date"),
        Column(_("Elections in the year"), "int"),
        Column(_("Activity room stars")),
        Column(_("Honours")),
        Column(_("Dues payments"), "int"),
        Column(_("Dues collected (yuan)"), "money"),
        Column(_("Members in arrears"), "int"),
        Column(_("Arrears (yuan)"), "money"),
    ]
    dues_rows = []
    for pk, name, _kind, _unit, _retiree, _parent in data.organisations:
        term = data.terms.get(pk, {})
        payments, collected = data.dues_collected.get(pk, (0, Decimal("0.00")))
        in_arrears, arrears = data.dues_arrears.get(pk, (0, Decimal("0.00")))
        dues_rows.append(
            (
                name,
                term.get("elected"),
                term.get("due"),
                term.get("elections", 0),
                stars.get(pk),
                "；".join(f"{year} {title}" for year, title in data.honours.get(pk, [])),
                payments,
                collected,
                in_arrears,
                arrears,
            )
        )
    dues_caption = _(
        "Terms and activity-room ratings as they stood at year end; honours up to then; dues "
        "paid for months of the year; arrears of %(year)s up to today."
    ) % {"year": data.scope.end_year}
    write_tables(
        book,
        _("Party organisations"),
        data,
        [
            (caption, columns, rows, _("Total")),
            (dues_caption, dues_columns, dues_rows, _("Total")),
        ],
    )


# --- 党员 ---------------------------------------------------------------------------------------

MEMBER_WIDTHS = [8, 12, 6, 12, 22, 24, 12, 28, 12, 12, 10, 12, 20]


def members(book, data):
    columns = [
        _("No."),
        pgettext("person", "name"),
        _("Gender"),
        _("Birth date"),
        _("ID number"),
        _("Party organisation"),
        _("Category"),
        _("Employment status"),
        _("Joined the Party on"),
        _("Confirmed on"),
        _("Status"),
        _("Left the roster on"),
        _("Change in the year"),
    ]
    sheet = book.sheet(_("Party members"), widths=MEMBER_WIDTHS)
    sheet.title(heading(data, _("Party member roster")))
    sheet.header([Column(header) for header in columns])
    genders = labels(Member.Gender.choices)
    categories = labels(Member.Category.choices)
    employment_labels = labels(Member.Employment.choices)
    statuses = labels(Member.Status.choices)
    first, last = data.scope.first_day, data.scope.last_day
    joined_label, confirmed_label = _("joined"), _("confirmed")
    unmasked = data.scope.unmasked
    number = 0
    for (
        name,
        gender,
        birth_date,
        id_number,
        organisation,
        category,
        employment,
        joined_on,
        confirmed_on,
        status,
        left_on,
    ) in data.member_rows():
        number += 1
        changes = []
        if first <= joined_on <= last:
            changes.append(joined_label)
        if confirmed_on and first <= confirmed_on <= last:
            changes.append(confirmed_label)
        if left_on and first <= left_on <= last:
            changes.append(statuses.get(status, status))
        sheet.append(
            (
                number,
                name,
                genders.get(gender, gender),
                birth_date,
                id_number if unmasked else mask_id_number(id_number),
                organisation,
                categories.get(category, category),
                employment_labels.get(employment, employment),
                joined_on,
                confirmed_on,
                statuses.get(status, status),
                left_on,
                "、".join(changes),
            )
        )
    sheet.append((_("Total"), number))


# --- 红色资源 -----------------------------------------------------------------------------------


def red_resources(book, data):
    red = data.red_resources
    summary = [
        (_("Revolutionary veterans on record"), red["veterans"]["total"]),
        (_("Veterans who gave red artefacts"), red["veterans"]["donors"]),
        (_("Red artefacts in the collection"), data.artefacts_total),
        (_("Red artefacts collected in the year"), sum(data.artefacts_collected.values())),
        (_("Veterans visited in the year"), red["veterans"]["visited"]),
        (_("Field visits in the year"), red["veterans"]["visits"]),
        (_("Oral histories recorded in the year"), red["oral"]["recorded"]),
        (_("of which published"), red["oral"]["recorded_published"]),
        (_("Oral histories published in the year"), red["oral"]["published"]),
        (_("Oral histories published, all years"), red["oral"]["published_total"]),
        (_("Micro-films"), red["films"]["total"]),
        (_("Micro-films screened in the year"), red["films"]["screened"]),
        (_("Micro-film screenings in the year"), red["films"]["shows"]),
        (_("Audience of the screenings"), red["films"]["audience"]),
    ]
    by_war = [(str(label), data.veterans_by_war.get(war, 0)) for war, label in War.choices]
    wars = [*War.choices, ("", _("other or not recorded"))]
    by_category = []
    for category, label in Artefact.Category.choices:
        counts = [data.artefacts_collected.get((category, war), 0) for war, _label in wars]
        by_category.append((str(label), *counts, sum(counts)))
    tables = [
        (None, [Column(_("Item")), Column(_("Figure"), "int")], summary, None),
        (
            _("Red artefacts collected in the year, by category and war"),
            [Column(_("Category"))]
            + [Column(str(label), "int") for _war, label in wars]
            + [Column(_("Total"), "int")],
            by_category,
            _("Total"),
        ),
        (
            _("Veterans on record by the war they served in (a veteran of two wars counts twice)"),
            [Column(_("War")), Column(_("Veterans"), "int")],
            by_war,
            None,
        ),
    ]
    write_tables(book, _("Red resources"), data, tables)


# --- 教育基地 -----------------------------------------------------------------------------------


def bases(book, data):
    kinds = labels(EducationBase.Kind.choices)
    counties = labels(County.choices)
    stages = labels(ConstructionMilestone.Stage.choices)
    not_approved = _("not yet approved")
    visits = Counter()
    visitors = Counter()
    for (base, _category), (count, headcount) in data.visits_by_base_category.items():
        visits[base] += count
        visitors[base] += headcount
    columns = [
        Column(_("Education base")),
        Column(_("Kind")),
        Column(_("County")),
        Column(_("Parent base")),
        Column(_("Construction stage")),
        Column(pgettext("yearly report column", "Exhibition sections"), "int"),
        Column(_("Artefacts on display"), "int"),
        Column(_("Visiting groups"), "int"),
        Column(_("Visitors"), "int"),
    ]
    rows = [
        (
            name,
            kinds.get(kind, kind),
            counties.get(county, county),
            parent or "",
            stages.get(data.base_stages.get(pk), not_approved),
            data.base_sections.get(pk, 0),
            data.base_displays.get(pk, 0),
            visits[pk],
            visitors[pk],
        )
        for pk, name, kind, county, parent in data.bases
    ]
    write_tables(book, _("Education bases"), data, [(None, columns, rows, _("Total"))])


# --- 离退休干部 ---------------------------------------------------------------------------------


def retired_cadres(book, data):
    employment_labels = labels(Member.Employment.choices)
    columns = [
        Column(_("Type")),
        Column(_("Retired cadres"), "int"),
        Column(_("of which women"), "int"),
        Column(_("Aged 70 to 79"), "int"),
        Column(_("Aged 80 and over"), "int"),
        Column(pgettext("yearly report column", "Disabled"), "int"),
        Column(_("Unable to speak"), "int"),
        Column(_("Memory loss"), "int"),
        Column(_("Any of the three losses"), "int"),
    ]
    figures = ("total", "women", "aged_70_79", "aged_80", "disabled", "speech_loss")
    figures += ("memory_loss", "three_losses")
    rows = []
    for employment in RETIRED:
        found = data.retirees.get(employment, {})
        rows.append((employment_labels[employment], *(found.get(name, 0) for name in figures)))
    caption = _("Retired cadres who are Party members, ages at %(day)s") % {
        "day": data.scope.last_day.isoformat()
    }

    flow_columns = [
        Column(_("Retired cadres' type")),
        Column(_("At the start of the year"), "int"),
        Column(_("Came onto the roster"), "int"),
        Column(_("Transferred out"), "int"),
        Column(_("Died"), "int"),
        Column(_("At the end of the year"), "int"),
    ]
    flow_rows = []
    for employment in RETIRED:
        changes = data.retiree_changes.get(employment, Counter())
        flow_rows.append(
            (
                employment_labels[employment],
                data.retirees_at_start.get(employment, 0),
                changes["entries"],
                changes[MemberEvent.Kind.TRANSFERRED_OUT],
                changes[MemberEvent.Kind.DECEASED],
                data.retirees_at_end.get(employment, 0),
            )
        )
    flow_caption = _("The roster in the year, from the members' recorded events")

    levels = [*CadreLevel.choices, ("", _("not recorded"))]
    level_rows = []
    for level, label in levels:
        counts = [
            data.retirees.get(employment, {}).get("levels", Counter())[level]
            for employment in RETIRED
        ]
        level_rows.append((str(label), *counts, sum(counts)))
    level_columns = [
        Column(_("Cadre level")),
        *(Column(employment_labels[employment], "int") for employment in RETIRED),
        Column(_("Total"), "int"),
    ]
    write_tables(
        book,
        _("Retired cadres"),
        data,
        [
            (caption, columns, rows, _("Total")),
            (flow_caption, flow_columns, flow_rows, _("Total")),
            (_("Retired cadres by cadre level"), level_columns, level_rows, _("Total")),
        ],
    )


# --- 参观统计 -----------------------------------------------------------------------------------


def visit_statistics(book, data):
    categories = labels(Visit.Category.choices)
    counties = labels(County.choices)
    by_base_category = data.visits_by_base_category

    base_rows = []
    for pk, name, _kind, _county, _parent in data.bases:
        figures = [by_base_category.get((pk, category), (0, 0))[1] for category in categories]
        base_rows.append((name, *figures, sum(figures)))

    category_visits, category_visitors = Counter(), Counter()
    county_visits, county_visitors = Counter(), Counter()
    county_of = {pk: county for pk, _name, _kind, county, _parent in data.bases}
    for (base, category), (count, headcount) in by_base_category.items():
        category_visits[category] += count
        category_visitors[category] += headcount
        county_visits[county_of.get(base)] += count
        county_visitors[county_of.get(base)] += headcount
    category_rows = [
        (label, category_visits[category], category_visitors[category])
        for category, label in categories.items()
    ]
    county_rows = [
        (label, county_visits[county], county_visitors[county])
        for county, label in counties.items()
    ]

    month_rows = []
    for year in range(data.scope.start_year, data.scope.end_year + 1):
        for month in range(1, 13):
            figures = [
                data.visits_by_month.get((year, month, category), 0) for category in categories
            ]
            label = _("%(year)s-%(month)s") % {"year": year, "month": month}
            month_rows.append((label, *figures, sum(figures)))

    sources = labels(Visit.Source.choices)
    meeting_kinds = labels(Meeting.Kind.choices)
    source_rows = [
        (sources.get(source, source), meeting_kinds.get(kind, ""), count, headcount)
        for (source, kind), (count, headcount) in sorted(data.visits_by_activity.items())
    ]
    activities = labels(Activity.Code.choices)
    activity_rows = [
        (activities.get(code, code), count, headcount)
        for code, count, headcount in data.visits_by_activity_kind
    ]
    statuses = labels(Booking.Status.choices)
    booking_rows = [
        (label, *data.bookings.get(status, (0, 0))) for status, label in statuses.items()
    ]

    visitors_columns = [Column(str(label), "int") for label in categories.values()]
    tables = [
        (
            _("Visitors by education base and visitor category"),
            [Column(_("Education base")), *visitors_columns, Column(_("Total"), "int")],
            base_rows,
            _("Total"),
        ),
        (
            _("Visitors by category"),
            [
                Column(_("Visitor category")),
                Column(_("Visiting groups"), "int"),
                Column(_("Visitors"), "int"),
            ],
            category_rows,
            _("Total"),
        ),
        (
            _("Visitors by month"),
            [Column(_("Month")), *visitors_columns, Column(_("Total"), "int")],
            month_rows,
            _("Total"),
        ),
        (
            _("Visitors by source"),
            [
                Column(_("Source")),
                Column(_("Meeting kind")),
                Column(_("Visiting groups"), "int"),
                Column(_("Visitors"), "int"),
            ],
            source_rows,
            _("Total"),
        ),
        (
            _("Visitors by activity (a visit with several activities counts under each)"),
            [
                Column(_("Activity")),
                Column(_("Visiting groups"), "int"),
                Column(_("Visitors"), "int"),
            ],
            activity_rows,
            None,
        ),
        (
            _("Visitors by county"),
            [
                Column(_("County")),
                Column(_("Visiting groups"), "int"),
                Column(_("Visitors"), "int"),
            ],
            county_rows,
            _("Total"),
        ),
        (
            _("Bookings for days in the year, by their state"),
            [
                Column(_("Booking state")),
                Column(pgettext("yearly report column", "Bookings"), "int"),
                Column(_("Headcount"), "int"),
            ],
            booking_rows,
            _("Total"),
        ),
    ]
    sheet, positions = write_tables(book, _("Visitor statistics"), data, tables)
    anchor_column = chr(ord("A") + len(categories) + 3)

    first, last, _total = positions[1]
    sheet.chart(
        "column",
        title=_("Visitors by category"),
        y_title=_("Visitors"),
        column=3,
        first=first,
        last=last,
        anchor=f"{anchor_column}3",
    )
    first, last, _total = positions[2]
    sheet.chart(
        "line" if len(month_rows) > 12 else "column",
        title=_("Visitors by month"),
        y_title=_("Visitors"),
        column=len(categories) + 2,
        first=first,
        last=last,
        anchor=f"{anchor_column}21",
    )


# --- 参观明细 -----------------------------------------------------------------------------------

VISIT_WIDTHS = [12, 30, 14, 34, 36, 26, 10, 18]


def visit_rows(book, data):
    columns = [
        _("Visited on"),
        _("Education base"),
        _("County"),
        _("Base kind"),
        _("Visiting group"),
        _("Visitor category"),
        _("Headcount"),
        _("Source"),
    ]
    sheet = book.sheet(pgettext("yearly report sheet", "Visit records"), widths=VISIT_WIDTHS)
    sheet.title(heading(data, pgettext("yearly report sheet", "Visit records")))
    sheet.header([Column(header) for header in columns])
    kinds = labels(EducationBase.Kind.choices)
    counties = labels(County.choices)
    base_of = {
        pk: (name, counties.get(county, county), kinds.get(kind, kind))
        for pk, name, kind, county, _parent in data.bases
    }
    categories = labels(Visit.Category.choices)
    sources = labels(Visit.Source.choices)
    write = sheet.row_writer((DAY, TEXT, TEXT, TEXT, TEXT, TEXT, NUMBER, TEXT))
    count = headcount_total = 0
    for visited_on, base, group, category, headcount, source in data.visit_rows():
        name, county, kind = base_of[base]
        write(
            (
                visited_on,
                name,
                county,
                kind,
                group,
                categories.get(category, category),
                headcount,
                sources.get(source, source),
            )
        )
        count += 1
        headcount_total += headcount
    sheet.append(
        (
            _("Total"),
            None,
            None,
            None,
            _("%(count)s visits") % {"count": count},
            None,
            headcount_total,
        )
    )


SHEETS = [
    # function, included in a branch secretary's report
    (overview, True),
    (organisations, True),
    (members, True),
    (red_resources, False),
    (bases, False),
    (retired_cadres, True),
    (visit_statistics, False),
    (visit_rows, False),
]


def sheets_for(scope):
    return [function for function, for_secretary in SHEETS if for_secretary or not scope.restricted]


def record_report_read(user, *, username=None):
    """A yearly report holds the roster (unmasked for staff with the permission): handing one
    out is logged like an admin export of members, one entry for the whole roster."""
    audit.record_read_by_id(user, Member, "*", action=AccessLog.Action.EXPORT, username=username)


def build_report(path, *, scope, progress=None):
    """Writes the yearly report for `scope` to `path`; `progress(done, total)` after each sheet."""
    functions = sheets_for(scope)
    data = ReportData(scope)
    with translation.override("zh-hans"), ReportWorkbook(path) as book:
        book.set_properties(
            title=_("Yearly report") + " " + scope.label,
            author=str(settings.PORTAL_SITE_NAME),
            created=timezone.now().replace(tzinfo=None),
        )
        for done, function in enumerate(functions):
            if progress:
                progress(done, len(functions))
            function(book, data)
    if progress:
        progress(len(functions), len(functions))
    return path


def parse_years(text):
    """ "2024" or "2023-2024" → (2023, 2024); ValueError on anything else."""
    start, _sep, end = str(text).partition("-")
    start_year = int(start)
    end_year = int(end) if end else start_year
    if end_year < start_year:
        raise ValueError(text)
    return start_year, end_year
