"""The workbook's figures, read back with openpyxl and compared with the database cell by cell."""

import datetime

import pytest
from django.db.models import Count, Q, Sum

from branches.models import Meeting
from config.reports.selectors import ReportScope
from config.reports.sheets import build_report
from members.models import Member
from redhistory.models import CustodyEvent, OralHistory
from visits.models import Visit

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


def test_organisation_rows_match_the_database(report, own_branch, other_branch):
    rows = table(report()["党组织"], "党组织")
    for organisation in [own_branch, other_branch]:
        row = rows[organisation.name]
        members = Member.objects.filter(organisation=organisation)
        assert row["在册党员"] == members.filter(status="current").count()
        assert row["预备党员"] == members.filter(status="current", category="probationary").count()
        assert (
            row["离退休干部"]
            == members.filter(status="current", employment__in=["lixiu", "retired"]).count()
        )
        assert row["已去世"] == members.filter(status="deceased").count()
        assert row["本年度入党"] == members.filter(joined_on__year=YEAR).count()
        assert row["本年度转正"] == members.filter(confirmed_on__year=YEAR).count()
        meetings = Meeting.objects.filter(organisation=organisation, held_on__year=YEAR)
        assert row["组织生活次数"] == meetings.count()
        assert row["主题党日"] == meetings.filter(kind="themed_day").count()
    assert rows["合计"]["在册党员"] == Member.objects.filter(status="current").count()


def test_overview_repeats_the_headline_figures(report):
    rows = {row[0]: row[1] for row in report()["概况"].iter_rows(min_row=3, values_only=True)}
    assert rows["党组织"] == 3
    assert rows["在册党员"] == Member.objects.current().count()
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
    retired = Member.objects.current().filter(employment="retired")
    figures = retired.aggregate(
        total=Count("pk"),
        old=Count("pk", filter=Q(birth_date__lte=datetime.date(YEAR - 80, 12, 31))),
    )
    assert rows["退休"]["离退休干部"] == figures["total"]
    assert rows["退休"]["80岁及以上"] == figures["old"]
    assert (
        rows["合计"]["离退休干部"]
        == Member.objects.current().exclude(employment="in_service").count()
    )


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
    assert book["党组织"].freeze_panes == "A4"
    widths = book["党组织"].column_dimensions
    assert widths["A"].width >= 2 * len("市休干所老干部支部")
