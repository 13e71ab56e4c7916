"""The workbook's figures, read back with openpyxl and compared with the database cell by cell."""

import datetime

import pytest
from django.db.models import Count, Q, Sum

from branches.models import EXPECTED_PERIODS, Meeting, Organisation
from exhibitions.models import Activity
from members.models import DuesPayment, Member, MemberEvent
from members.selectors import dues_in_arrears, roster_on
from redhistory.models import (
    CustodyEvent,
    FieldVisit,
    MicroFilm,
    OralHistory,
    Screening,
    VeteranService,
    War,
)
from reports.selectors import THREE_MEETINGS_ONE_LECTURE, ReportScope
from reports.sheets import build_report
from visits.models import Booking, Visit
from visits.selectors import statistics

from .conftest import YEAR, read, table

ALL_SHEETS = [
    "概况",
    "党组织",
    "党员",
    "红色资源",
    "教育基地",
    "离退休干部",
    "参观统计",
    "参观明细",
]
FIRST, LAST = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)


@pytest.fixture
def report(dataset, tmp_path):
    dataset(12)

    def build(user=None, start_year=YEAR, end_year=YEAR):
        path = tmp_path / "report.xlsx"
        scope = ReportScope.for_user(user, start_year=start_year, end_year=end_year)
        build_report(path, scope=scope)
        return read(path)

    return build


def test_a_full_report_has_every_sheet_in_chinese(report):
    assert report().sheetnames == ALL_SHEETS


@pytest.fixture
def lives(own_branch, other_branch, bureau_staff):
    """Six members whose standing changed around the end of YEAR, each with known dates."""
    from members import services
    from tests.factories.members import MemberFactory

    day = datetime.date
    old = {"joined_on": day(1970, 7, 1), "birth_date": day(1940, 1, 1)}
    MemberFactory(name="甲", organisation=own_branch, **old)  # full, retired, throughout
    probationary = MemberFactory(
        name="乙",
        organisation=own_branch,
        category=Member.Category.PROBATIONARY,
        employment=Member.Employment.IN_SERVICE,
        birth_date=day(1990, 1, 1),
        joined_on=day(YEAR, 3, 1),
    )
    # Confirmed after the year ended: probationary on 31 December.
    services.member_confirm(member=probationary, on=day(YEAR + 1, 4, 1), by=bureau_staff)
    died = MemberFactory(name="丙", organisation=own_branch, **old)
    services.member_leave(
        member=died, kind=MemberEvent.Kind.DECEASED, on=day(YEAR + 1, 2, 1), by=bureau_staff
    )
    MemberFactory(name="丁", organisation=own_branch, **{**old, "joined_on": day(YEAR + 1, 1, 10)})
    moved = MemberFactory(name="戊", organisation=other_branch, **old)
    services.member_move(
        member=moved, to_organisation=own_branch, on=day(YEAR + 1, 3, 1), by=bureau_staff
    )
    left = MemberFactory(name="己", organisation=other_branch, **old)
    services.member_leave(
        member=left,
        kind=MemberEvent.Kind.TRANSFERRED_OUT,
        on=day(YEAR, 6, 1),
        by=bureau_staff,
        place="太原市",
    )


def test_the_report_counts_the_roster_as_it_stood_on_31_december(
    lives, own_branch, other_branch, tmp_path
):
    """甲, 乙 (probationary then) and 丙 (died after) in 局机关支部; 戊 still in the other branch;
    丁 (joined after) and 己 (left during the year) not counted. Today's register would say
    own 4 (甲 乙 丁 戊), all full, other 0."""
    path = tmp_path / "report.xlsx"
    build_report(path, scope=ReportScope.for_user(None, start_year=YEAR, end_year=YEAR))
    book = read(path)
    rows = table(book["党组织"], "党组织")
    own, other = rows[own_branch.name], rows[other_branch.name]
    assert (own["在册党员"], own["预备党员"], own["离退休干部"]) == (3, 1, 2)
    assert (other["在册党员"], other["预备党员"], other["离退休干部"]) == (1, 0, 1)
    assert rows["合计"]["在册党员"] == 4
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["在册党员"] == 4
    assert overview["其中：正式党员"] == 3


def test_organisation_rows_count_the_years_joins_confirmations_and_meetings(
    report, own_branch, other_branch
):
    rows = table(report()["党组织"], "党组织")
    for organisation in [own_branch, other_branch]:
        row = rows[organisation.name]
        members = Member.objects.filter(organisation=organisation)
        assert row["本年度入党"] == members.filter(joined_on__year=YEAR).count()
        assert row["本年度转正"] == members.filter(confirmed_on__year=YEAR).count()
        meetings = Meeting.objects.filter(organisation=organisation, held_on__year=YEAR)
        assert row["组织生活次数"] == meetings.count()
        assert row["主题党日"] == meetings.filter(kind="themed_day").count()


def test_overview_repeats_the_headline_figures(report):
    rows = {row[0]: row[1] for row in report()["概况"].iter_rows(min_row=3, values_only=True)}
    assert rows["党组织"] == 3
    assert (
        rows["接待参观"]
        == Visit.objects.filter(visited_on__year=YEAR).aggregate(n=Sum("headcount"))["n"]
    )
    assert (
        rows["其中：中小学生"]
        == Visit.objects.filter(visited_on__year=YEAR, category="students").aggregate(
            n=Sum("headcount")
        )["n"]
    )
    assert rows["本年度录制口述历史"] == OralHistory.objects.filter(recorded_on__year=YEAR).count()
    assert (
        rows["本年度征集红色物件"]
        == CustodyEvent.objects.filter(kind="entry", starts_on__year=YEAR).count()
    )


def test_every_visit_of_the_year_is_a_row_in_date_order(report):
    ws = report()["参观明细"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    visits = list(
        Visit.objects.filter(visited_on__year=YEAR)
        .order_by("visited_on", "pk")
        .values_list("visited_on", "base__name", "headcount")
    )
    body, total = rows[:-1], rows[-1]
    assert [(row[0].date(), row[1], row[6]) for row in body] == visits
    assert total[0] == "合计"
    assert total[6] == sum(headcount for _day, _base, headcount in visits)


def test_visitor_statistics_add_up_by_base_month_and_county(report, dataset):
    ws = report()["参观统计"]
    by_base = table(ws, "教育基地")
    year = Visit.objects.filter(visited_on__year=YEAR)
    for name, row in by_base.items():
        if name == "合计":
            continue
        assert row["合计"] == year.filter(base__name=name).aggregate(n=Sum("headcount"))["n"]
        assert row["在职干部"] == (
            year.filter(base__name=name, category="cadres").aggregate(n=Sum("headcount"))["n"] or 0
        )
    by_month = table(ws, "月份")
    for month in range(1, 13):
        expected = year.filter(visited_on__month=month).aggregate(n=Sum("headcount"))["n"] or 0
        assert by_month[f"{YEAR}年{month}月"]["合计"] == expected
    by_county = table(ws, "县（市、区）")
    assert by_county["左权县"]["参观批次"] == year.filter(base__county="zuoquan").count()
    assert len(ws._charts) == 2


def test_bases_show_sections_displays_and_visitors(report):
    rows = table(report()["教育基地"], "教育基地")
    row = rows["左权县红色教育基地"]
    assert row["建设阶段"] == "开放"
    assert rows["平遥县分基地"]["建设阶段"] == "尚未报批"  # approved only the year after
    assert row["展区数"] == 2
    assert row["展出物件"] == CustodyEvent.objects.filter(kind="display").count()
    assert (
        row["参观批次"] == Visit.objects.filter(visited_on__year=YEAR, base__slug="zuoquan").count()
    )


def test_retired_cadres_are_counted_by_type_and_age_band(report):
    rows = table(report()["离退休干部"], "类型")
    # The roster of 31 December of the year, not today's (test_the_report_counts_the_roster_...).
    retired = roster_on(LAST).filter(employment="retired")
    figures = retired.aggregate(
        total=Count("pk"),
        old=Count("pk", filter=Q(birth_date__lte=datetime.date(YEAR - 80, 12, 31))),
    )
    assert rows["退休"]["离退休干部"] == figures["total"]
    assert rows["退休"]["80岁及以上"] == figures["old"]
    assert rows["合计"]["离退休干部"] == roster_on(LAST).exclude(employment="in_service").count()


def test_a_year_range_covers_every_month_of_each_year(report):
    ws = report(start_year=YEAR - 1, end_year=YEAR)["参观统计"]
    months = table(ws, "月份")
    assert f"{YEAR - 1}年1月" in months and f"{YEAR}年12月" in months
    assert (
        months["合计"]["合计"]
        == Visit.objects.filter(visited_on__year__in=[YEAR - 1, YEAR]).aggregate(
            n=Sum("headcount")
        )["n"]
    )


def test_id_numbers_are_masked_for_a_manager(report, manager):
    rows = list(report(manager)["党员"].iter_rows(min_row=3, values_only=True))[:-1]
    numbers = set(Member.objects.values_list("id_number", flat=True))
    assert rows and all(row[4] not in numbers for row in rows)
    assert all(row[4][4:14] == "*" * 10 for row in rows)


def test_id_numbers_are_shown_to_staff_who_may_see_personal_data(report, bureau_staff):
    rows = list(report(bureau_staff)["党员"].iter_rows(min_row=3, values_only=True))[:-1]
    assert {row[4] for row in rows} == set(Member.objects.values_list("id_number", flat=True))


def test_a_secretary_gets_only_their_own_organisations(report, secretary, own_branch, other_branch):
    book = report(secretary)
    assert book.sheetnames == ["概况", "党组织", "党员", "离退休干部"]
    assert list(table(book["党组织"], "党组织")) == [own_branch.name, "合计"]
    roster = list(book["党员"].iter_rows(min_row=3, values_only=True))[:-1]
    assert {row[5] for row in roster} == {own_branch.name}
    assert len(roster) == Member.objects.filter(organisation=own_branch).count()
    overview = {row[0] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert "接待参观" not in overview


def test_a_group_name_written_as_a_formula_stays_text(report):
    ws = report(start_year=YEAR - 1, end_year=YEAR + 1)["参观明细"]
    groups = [row[4] for row in ws.iter_rows(min_row=3, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in groups
    assert not any(isinstance(g, str) and g.startswith("=") for g in groups)


def test_header_rows_are_frozen_and_printed_on_every_page(report):
    book = report()
    assert book["参观明细"].freeze_panes == "A3"
    assert book["参观明细"].print_title_rows == "$1:$2"
    assert book["教育基地"].freeze_panes == "A3"
    assert book["教育基地"].print_title_rows == "$1:$2"
    widths = book["党组织"].column_dimensions
    assert widths["A"].width >= 2 * len("市休干所老干部支部")


def test_organisation_changes_come_from_the_years_member_events(
    report, general_branch, own_branch, other_branch
):
    rows = table(report()["党组织"], "党组织")
    events = MemberEvent.objects.filter(occurred_on__year=YEAR)
    for organisation in [general_branch, own_branch, other_branch]:
        row = rows[organisation.name]
        leaving = events.filter(from_organisation=organisation)
        arriving = events.filter(to_organisation=organisation)
        assert row["转入"] == arriving.filter(kind="transferred_in").count()
        assert row["支部间调入"] == arriving.filter(kind="moved").count()
        assert row["支部间调出"] == leaving.filter(kind="moved").count()
        assert row["已转出"] == leaving.filter(kind="transferred_out").count()
        assert row["去世"] == leaving.filter(kind="deceased").count()
    assert rows[own_branch.name]["支部间调入"] == 1
    assert rows["合计"]["去世"] == events.filter(kind="deceased").count() > 0


def test_three_meetings_one_lecture_periods_follow_the_branches_rule(
    report, general_branch, own_branch, other_branch
):
    rows = table(report()["党组织"], "党组织")
    # 党员大会 and 党课 quarterly, 支委会 and 党小组会 monthly: 32 periods in a finished year.
    assert sum(EXPECTED_PERIODS[kind] for kind in THREE_MEETINGS_ONE_LECTURE) == 32
    for organisation in [own_branch, other_branch]:
        row = rows[organisation.name]
        assert row["“三会一课”应开期数"] == 32
        held = Meeting.objects.filter(organisation=organisation, held_on__year=YEAR)
        covered = 0
        for kind in THREE_MEETINGS_ONE_LECTURE:
            periods = EXPECTED_PERIODS[kind]
            span = 12 // periods
            months = {d.month for d in held.filter(kind=kind).values_list("held_on", flat=True)}
            covered += sum(
                1 for p in range(periods) if months & set(range(p * span + 1, p * span + span + 1))
            )
        assert row["未按期召开期数"] == 32 - covered
    # The rule binds Party branches, not the general branch.
    assert rows[general_branch.name]["“三会一课”应开期数"] is None


def test_terms_honours_rooms_and_dues_are_reported_per_organisation(
    report, general_branch, own_branch, other_branch
):
    ws = report()["党组织"]
    rows = list(ws.iter_rows(values_only=True))
    start = [i for i, row in enumerate(rows) if row[0] == "党组织"][1]
    header = rows[start]
    second = {row[0]: dict(zip(header, row, strict=False)) for row in rows[start + 1 : start + 5]}
    own, other, general = (second[o.name] for o in [own_branch, other_branch, general_branch])
    assert own["本届选举日期"].date() == datetime.date(YEAR - 1, 3, 1)
    assert own["届满日期"].date() == datetime.date(YEAR + 2, 3, 1)
    assert other["届满日期"].date() == datetime.date(YEAR - 1, 5, 1)  # overdue at year end
    assert general["本年度换届次数"] == 1 and own["本年度换届次数"] == 0
    assert general["本届选举日期"].date() == datetime.date(YEAR, 5, 1)  # not next year's
    assert general["荣誉"] == f"2018 先进党组织；2020 示范党组织；{YEAR} 红旗党组织"
    assert own["荣誉"] is None  # its honour is next year's
    assert general["党员活动室星级"] == 5 and own["党员活动室星级"] == 5  # not next year's 4
    assert other["党员活动室星级"] == 3
    for organisation, row in [(own_branch, own), (other_branch, other)]:
        payments = DuesPayment.objects.filter(year=YEAR, member__organisation=organisation)
        assert row["党费缴纳笔数"] == payments.count() > 0
        assert row["收缴党费（元）"] == float(payments.aggregate(s=Sum("amount"))["s"])
        register = dues_in_arrears(Organisation.objects.filter(pk=organisation.pk), YEAR)
        assert row["欠缴党费人数"] == len(register) > 0
        assert row["欠缴金额（元）"] == float(sum(r.arrears or 0 for r in register))
    assert second["合计"]["收缴党费（元）"] == float(
        DuesPayment.objects.filter(year=YEAR).aggregate(s=Sum("amount"))["s"]
    )
    overview = {row[0]: row[1] for row in report()["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["五星级党员活动室"] == 1
    assert overview["三星级党员活动室"] == 1
    assert overview["本年度换届选举"] == 1
    assert overview["年末届期已满未换届"] == 1
    assert overview["本年度获得荣誉"] == 1


def test_the_roster_shows_when_members_left(report):
    rows = list(report()["党员"].iter_rows(min_row=3, values_only=True))[:-1]
    exits = dict(
        MemberEvent.objects.filter(kind__in=MemberEvent.EXITS).values_list(
            "member__id_number", "occurred_on"
        )
    )
    assert exits
    for row in rows:
        left_on = exits.get(row[4])
        assert (row[11].date() if row[11] else None) == left_on
        if left_on and left_on.year == YEAR:
            assert row[10] in (row[12] or "")


def test_retired_cadres_flow_three_losses_and_levels(report):
    ws = report()["离退休干部"]
    now = table(ws, "类型")
    retired = roster_on(LAST).filter(employment="retired")
    assert now["退休"]["失能"] == retired.filter(disabled=True).count() > 0
    assert now["退休"]["失忆"] == retired.filter(memory_loss=True).count()
    assert (
        now["退休"]["“三失”合计（任一）"]
        == retired.filter(Q(disabled=True) | Q(speech_loss=True) | Q(memory_loss=True)).count()
    )
    flow = table(ws, "离退休干部类型")
    for employment, label in [("retired", "退休"), ("lixiu", "离休")]:
        start = roster_on(datetime.date(YEAR - 1, 12, 31)).filter(employment=employment)
        end = roster_on(datetime.date(YEAR, 12, 31)).filter(employment=employment)
        events = MemberEvent.objects.filter(occurred_on__year=YEAR, member__employment=employment)
        row = flow[label]
        assert row["年初人数"] == start.count()
        assert row["年末人数"] == end.count()
        assert row["本年度增加"] == events.filter(kind__in=MemberEvent.ENTRIES).count()
        assert row["去世"] == events.filter(kind="deceased").count()
        assert row["已转出"] == events.filter(kind="transferred_out").count()
        assert row["年初人数"] + row["本年度增加"] - row["去世"] - row["已转出"] == row["年末人数"]
    levels = table(ws, "职级")
    assert levels["县处级正职"]["退休"] == retired.filter(cadre_level="county").count() > 0
    assert levels["未登记"]["合计"] == (
        roster_on(LAST).exclude(employment="in_service").filter(cadre_level="").count()
    )


def test_red_resources_count_field_visits_films_publications_and_wars(report):
    book = report()
    rows = {row[0]: row[1] for row in book["红色资源"].iter_rows(min_row=2, values_only=True)}
    visits = FieldVisit.objects.filter(visited_on__year=YEAR)
    assert rows["本年度寻访革命功臣"] == visits.values("veteran").distinct().count() > 0
    assert rows["本年度上门寻访次数"] == visits.count()
    assert (
        rows["本年度发布口述历史"]
        == OralHistory.objects.filter(status="published", published_at__year=YEAR).count()
        > 0
    )
    screenings = Screening.objects.filter(shown_on__year=YEAR)
    assert rows["微电影"] == MicroFilm.objects.count()
    assert rows["本年度放映的微电影"] == screenings.values("film").distinct().count()
    assert rows["本年度微电影放映场次"] == screenings.count() > 0
    assert rows["放映观众人次"] == screenings.aggregate(n=Sum("audience"))["n"]
    wars = table(book["红色资源"], "战争")
    for war in War:
        expected = VeteranService.objects.filter(war=war).values("veteran").distinct().count()
        assert wars[str(war.label)]["革命功臣"] == expected > 0


def test_visits_by_activity_and_bookings(report):
    ws = report()["参观统计"]
    activities = table(ws, "活动形式")
    link = Visit.activities.through.objects.filter(visit__visited_on__year=YEAR)
    for activity in Activity.objects.all():
        row = activities[str(activity.name)]
        assert row["参观批次"] == link.filter(activity=activity).count()
        assert row["参观人次"] == (
            link.filter(activity=activity).aggregate(n=Sum("visit__headcount"))["n"] or 0
        )
    stats = statistics(first_day=datetime.date(YEAR, 1, 1), last_day=datetime.date(YEAR, 12, 31))
    assert {str(r.label): r.visitors for r in stats.by_activity} == {
        name: row["参观人次"] for name, row in activities.items()
    }
    bookings = table(ws, "预约状态")
    for status in Booking.Status:
        assert bookings[str(status.label)]["预约数"] == (
            Booking.objects.filter(visit_on__year=YEAR, status=status).count()
        )
    assert (
        bookings["合计"]["人数"]
        == (Booking.objects.filter(visit_on__year=YEAR).aggregate(n=Sum("headcount"))["n"])
    )


def test_the_visitor_totals_agree_with_the_visits_statistics_page(report):
    ws = report()["参观统计"]
    stats = statistics(first_day=datetime.date(YEAR, 1, 1), last_day=datetime.date(YEAR, 12, 31))
    by_category = table(ws, "参观群体")
    for row in stats.by_category:
        assert by_category[str(row.label)]["参观人次"] == row.visitors
        assert by_category[str(row.label)]["参观批次"] == row.visits
    by_base = table(ws, "教育基地")
    for row in stats.by_base:
        assert by_base[row.label]["合计"] == row.visitors


def test_a_secretarys_terms_dues_and_changes_are_their_own(report, secretary, own_branch):
    book = report(secretary)
    rows = list(book["党组织"].iter_rows(values_only=True))
    starts = [i for i, row in enumerate(rows) if row[0] == "党组织"]
    assert len(starts) == 2
    second = [row[0] for row in rows[starts[1] + 1 :] if row[0]]
    assert second == [own_branch.name, "合计"]
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["收缴党费"] == float(
        DuesPayment.objects.filter(year=YEAR, member__organisation=own_branch).aggregate(
            s=Sum("amount")
        )["s"]
    )
    assert overview["本年度去世党员"] == (
        MemberEvent.objects.filter(
            occurred_on__year=YEAR, kind="deceased", from_organisation=own_branch
        ).count()
    )
    assert overview["本年度换届选举"] == 0  # the general branch's election is not theirs
    flow = table(book["离退休干部"], "离退休干部类型")
    assert flow["合计"]["年末人数"] == (
        roster_on(datetime.date(YEAR, 12, 31), [own_branch])
        .exclude(employment="in_service")
        .count()
    )
