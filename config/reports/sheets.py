"""The sheets of the yearly report, one small function each, and the builder that runs them.

A sheet function takes the `ReportWorkbook` and the `ReportData` and writes one sheet. `SHEETS`
lists them in order, with whether a branch secretary's report includes them: a secretary gets
their own organisations' 概况, 党组织, 党员 and 离退休干部, and none of the bureau-wide sheets.
"""

from collections import Counter

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from branches.models import Meeting, Organisation
from exhibitions.models import ConstructionMilestone, County, EducationBase
from members.models import Member
from redhistory.models import Artefact, War
from visits.models import Visit

from .selectors import RETIRED, THREE_MEETINGS_ONE_LECTURE, ReportData
from .workbook import Column, ReportWorkbook, fitted_widths, mask_id_number


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
            (_("Oral histories recorded in the year"), red["oral"]["recorded"], unit_item),
            (_("Oral histories published"), red["oral"]["published_total"], unit_item),
            (_("Red education bases"), len(data.bases), unit_org),
        ]
        base_kinds = labels(EducationBase.Kind.choices)
        rows += [
            (_("of which %(kind)s") % {"kind": label}, bases[kind], unit_org)
            for kind, label in base_kinds.items()
        ]
        rows += [
            (_("Visitors received"), visitors.total(), _("visitors")),
            (_("Visiting groups"), visits, _("groups")),
        ]
        rows += [
            (_("of which %(kind)s") % {"kind": label}, visitors[category], _("visitors"))
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
        Column(_("Transferred out"), "int"),
        Column(_("Deceased"), "int"),
        Column(_("Joined in the year"), "int"),
        Column(_("Confirmed in the year"), "int"),
        Column(_("Meetings held"), "int"),
        Column(_("Three meetings and one lecture"), "int"),
        Column(_("Themed Party days"), "int"),
    ]
    rows = []
    for pk, name, kind, unit, retiree, _parent in data.organisations:
        members = data.member_counts.get(pk, Counter())
        changes = data.member_changes.get(pk, Counter())
        meetings = data.meeting_counts.get(pk, Counter())
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
                members[Member.Status.TRANSFERRED_OUT],
                members[Member.Status.DECEASED],
                changes["joined"],
                changes["confirmed"],
                meetings.total(),
                sum(meetings[kind] for kind in THREE_MEETINGS_ONE_LECTURE),
                meetings[Meeting.Kind.THEMED_DAY],
            )
        )
    caption = _("A general branch's row counts only the members it keeps directly.")
    write_tables(book, _("Party organisations"), data, [(caption, columns, rows, _("Total"))])


# --- 党员 ---------------------------------------------------------------------------------------

MEMBER_WIDTHS = [8, 12, 6, 12, 22, 24, 12, 28, 12, 12, 10, 20]


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
    ) in data.member_rows():
        number += 1
        changes = []
        if first <= joined_on <= last:
            changes.append(joined_label)
        if confirmed_on and first <= confirmed_on <= last:
            changes.append(confirmed_label)
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
        (_("Oral histories recorded in the year"), red["oral"]["recorded"]),
        (_("of which published"), red["oral"]["recorded_published"]),
        (_("Oral histories published, all years"), red["oral"]["published_total"]),
    ]
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
        Column(_("Exhibition sections"), "int"),
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
    ]
    rows = []
    for employment in RETIRED:
        figures = data.retirees.get(employment, {})
        rows.append(
            (
                employment_labels[employment],
                figures.get("total", 0),
                figures.get("women", 0),
                figures.get("aged_70_79", 0),
                figures.get("aged_80", 0),
            )
        )
    caption = _("Retired cadres who are Party members, ages at %(day)s") % {
        "day": data.scope.last_day.isoformat()
    }
    write_tables(book, _("Retired cadres"), data, [(caption, columns, rows, _("Total"))])


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
    activity_rows = [
        (sources.get(source, source), meeting_kinds.get(kind, ""), count, headcount)
        for (source, kind), (count, headcount) in sorted(data.visits_by_activity.items())
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
            _("Visitors by activity"),
            [
                Column(_("Source")),
                Column(_("Activity")),
                Column(_("Visiting groups"), "int"),
                Column(_("Visitors"), "int"),
            ],
            activity_rows,
            _("Total"),
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
    sheet = book.sheet(_("Visit records"), widths=VISIT_WIDTHS)
    sheet.title(heading(data, _("Visit records")))
    sheet.header([Column(header) for header in columns])
    kinds = labels(EducationBase.Kind.choices)
    counties = labels(County.choices)
    base_of = {
        pk: (name, counties.get(county, county), kinds.get(kind, kind))
        for pk, name, kind, county, _parent in data.bases
    }
    categories = labels(Visit.Category.choices)
    sources = labels(Visit.Source.choices)
    append = sheet.append
    count = headcount_total = 0
    for visited_on, base, group, category, headcount, source in data.visit_rows():
        name, county, kind = base_of[base]
        append(
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
    append(
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
