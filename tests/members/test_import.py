"""Members come in from the branches' own spreadsheets: Chinese headers, dates as Excel cells or
text, the organisation by name or code. A bad file writes nothing and says why, row by row."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from members.idnumbers import make_id_number
from members.models import Member, MemberEvent
from tests.factories.members import MemberFactory

HEADERS = [
    "序号", "姓名", "性别", "民族", "出生日期", "身份证号码", "学历", "入党时间", "转正时间",
    "人员类别", "原工作单位及职务", "在职/离退休", "所在党支部", "联系电话", "备注",
]  # fmt: skip

ID_A = make_id_number("140702", datetime.date(1938, 5, 17), 121)
ID_B = make_id_number("140728", datetime.date(1945, 10, 1), 62)
ID_C = make_id_number("140781", datetime.date(1990, 2, 3), 33)


def good_rows():
    return [
        [1, "赵振华", "男", "汉族", datetime.datetime(1938, 5, 17), ID_A, "大专",
         "1960-07-01", "1961.7.1", "正式党员", "晋中市财政局 副局长", "退休", "局机关支部",
         13835400001, ""],
        [2, "钱玉兰", "女", "回", "1945年10月1日", ID_B, "高中", "1970年3月1日",
         "1971年3月1日", "正式党员", "晋中地区供销社 主任", "离休", "jiguan", "", "失聪，需大声"],
        [3, "孙立新", "男", "汉族", "1990-02-03", ID_C, "本科", "2024-03-01", "", "预备党员",
         "晋中市委老干部局 科员", "在职", "局机关支部", "", ""],
    ]  # fmt: skip


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "党员花名册.xlsx"
    return buffer


def xlsx_format(client):
    page = client.get(reverse("admin:members_member_import"))
    choices = page.context["form"].fields["format"].choices
    return next(str(i) for i, label in choices if "xlsx" in str(label).lower())


def csv_format(client):
    page = client.get(reverse("admin:members_member_import"))
    choices = page.context["form"].fields["format"].choices
    return next(str(i) for i, label in choices if str(label).lower() == "csv")


def preview(client, rows):
    return client.post(
        reverse("admin:members_member_import"),
        {"import_file": workbook(rows), "format": xlsx_format(client), "resource": "0"},
    )


def import_file(client, rows):
    """Uploads, checks the preview has no error, confirms; returns the confirm response."""
    response = preview(client, rows)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), [
        row.error_dict for row in result.invalid_rows
    ]
    confirm = response.context["confirm_form"]
    return client.post(
        reverse("admin:members_member_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )


@pytest.fixture
def branches(own_branch, other_branch):
    return own_branch, other_branch


@pytest.mark.django_db
def test_a_good_file_imports_every_row_with_events_and_history(
    staff_client, bureau_staff, branches
):
    response = import_file(staff_client, good_rows())
    assert response.status_code == 302
    members = {m.name: m for m in Member.objects.all()}
    assert set(members) == {"赵振华", "钱玉兰", "孙立新"}
    zhao, qian, sun = members["赵振华"], members["钱玉兰"], members["孙立新"]
    assert zhao.birth_date == datetime.date(1938, 5, 17)
    assert zhao.confirmed_on == datetime.date(1961, 7, 1)
    assert zhao.phone == "13835400001" and zhao.education == "college"
    assert qian.ethnicity == "03" and qian.employment == "lixiu" and qian.gender == "F"
    assert qian.organisation == branches[0]  # by code
    assert sun.category == "probationary" and sun.confirmed_on is None
    assert zhao.events.filter(kind=MemberEvent.Kind.JOINED, recorded_by=bureau_staff).exists()
    record = zhao.history.get()
    assert record.history_user == bureau_staff
    assert record.history_change_reason == "从表格导入"


def events(member):
    return list(
        member.events.order_by("occurred_on").values_list(
            "kind", "occurred_on", "to_organisation", "recorded_by", "note"
        )
    )


@pytest.mark.django_db
def test_imported_members_have_the_entry_events_of_members_added_by_hand(
    staff_client, bureau_staff, branches
):
    """The import writes through members.services as the add page does: an entry event on the
    joining date, and the confirmation when the row has one; nothing else."""
    assert import_file(staff_client, good_rows()).status_code == 302
    own = branches[0].pk
    zhao, sun = Member.objects.get(name="赵振华"), Member.objects.get(name="孙立新")
    assert events(zhao) == [
        ("joined", datetime.date(1960, 7, 1), own, bureau_staff.pk, "从表格导入"),
        ("confirmed", datetime.date(1961, 7, 1), None, bureau_staff.pk, ""),
    ]
    assert events(sun) == [
        ("joined", datetime.date(2024, 3, 1), own, bureau_staff.pk, "从表格导入")
    ]
    assert {m.status for m in Member.objects.all()} == {Member.Status.CURRENT}


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(staff_client, branches):
    import_file(staff_client, good_rows())
    histories = Member.history.count()
    events = MemberEvent.objects.count()
    response = preview(staff_client, good_rows())
    totals = response.context["result"].totals
    assert totals["skip"] == 3 and totals["new"] == 0 and totals["update"] == 0
    import_file(staff_client, good_rows())
    assert Member.history.count() == histories
    assert MemberEvent.objects.count() == events


@pytest.mark.django_db
def test_an_edited_file_updates_the_members_it_names(staff_client, branches):
    import_file(staff_client, good_rows())
    rows = good_rows()
    rows[1][13] = "0354-3331234"
    rows[1][10] = "晋中地区供销社 原主任"
    import_file(staff_client, rows[1:2])
    qian = Member.objects.get(id_number=ID_B)
    assert qian.phone == "0354-3331234" and qian.former_unit_post == "晋中地区供销社 原主任"
    assert Member.objects.count() == 3
    assert qian.history.count() == 2


@pytest.mark.django_db
def test_a_bad_file_writes_nothing_and_says_why_row_by_row(staff_client, branches):
    rows = good_rows()
    rows[0][5] = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")  # check digit
    rows[1][12] = "不存在的支部"
    rows[2][7] = "2024年13月1日"
    rows.append(
        [4, "周正", "男", "汉族", "1950-01-01", make_id_number("140702", datetime.date(1951, 1, 1), 11),
         "", "1975-01-01", "1976-01-01", "正式党员", "", "退休", "局机关支部", "", ""]
    )  # fmt: skip
    response = preview(staff_client, rows)
    result = response.context["result"]
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert errors[1]["身份证号码"] == ["身份证号码校验码不正确，请核对号码。"]
    assert errors[2]["所在党支部"] == ["没有名称或代码为“不存在的支部”的党组织。"]
    assert "2024年13月1日" in errors[3]["入党时间"][0]
    assert errors[4]["出生日期"][0].startswith("出生日期与身份证号码不一致")
    content = response.content.decode()
    assert "身份证号码校验码不正确" in content and "出生日期与身份证号码不一致" in content
    assert not Member.objects.exists()
    assert not MemberEvent.objects.exists()


@pytest.mark.django_db
def test_one_bad_row_keeps_the_good_rows_out_too(staff_client, branches):
    import tablib

    from members.resources import MemberResource

    rows = good_rows()
    rows[2][2] = "未知"
    dataset = tablib.Dataset(
        *[[str(v) if v is not None else "" for v in r] for r in rows], headers=HEADERS
    )
    result = MemberResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_a_secretary_importing_a_row_of_another_branch_is_refused(
    secretary_client, branches, other_member
):
    rows = good_rows()
    rows[1][12] = "市休干所老干部支部"
    response = preview(secretary_client, rows)
    errors = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert errors[2]["所在党支部"] == ["您只能导入本人所在党组织的党员。"]
    # A row naming an existing member of another branch, even as one's own, is refused too.
    row = [9, "李秀英", "女", "汉族", "1941-03-02", other_member.id_number, "", "1966-03-02",
           "1967-03-02", "正式党员", "", "退休", "局机关支部", "", ""]  # fmt: skip
    response = preview(secretary_client, [row])
    errors = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert "所在党支部" in errors[1]
    assert not Member.objects.filter(name="赵振华").exists()
    other_member.refresh_from_db()
    assert other_member.organisation == branches[1]


@pytest.mark.django_db
def test_a_move_by_import_is_refused_it_goes_through_the_standing_page(staff_client, branches):
    import_file(staff_client, good_rows())
    rows = good_rows()
    rows[0][12] = "市休干所老干部支部"
    response = preview(staff_client, rows[:1])
    errors = response.context["result"].invalid_rows[0].error_dict
    assert "登记党籍变动" in errors["所在党支部"][0]
    assert Member.objects.get(id_number=ID_A).organisation == branches[0]


@pytest.mark.django_db
def test_member_changelist_queries_do_not_grow_with_members(
    staff_client, own_branch, other_branch, django_assert_max_num_queries
):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(reverse("admin:members_member_changelist"))
        assert response.status_code == 200
        return len(captured)

    MemberFactory.create_batch(10, organisation=own_branch, entry=False)
    small = count()
    batch = [
        MemberFactory.build(organisation=[own_branch, other_branch][i % 2]) for i in range(490)
    ]
    Member.objects.bulk_create(batch)
    large = count()
    assert large == small
    with django_assert_max_num_queries(12):
        staff_client.get(reverse("admin:members_member_changelist"), {"q": "党员"})


@pytest.mark.django_db
def test_the_same_person_twice_in_a_file_is_refused(staff_client, branches):
    rows = good_rows()
    rows.append(list(rows[0]))
    rows[3][0] = 4
    response = preview(staff_client, rows)
    errors = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert set(errors) == {1, 4}
    assert errors[4]["身份证号码"] == ["该身份证号码在文件中出现多次：第1、4行。"]
    assert not Member.objects.exists()


def test_a_long_file_previews_its_first_hundred_rows_and_imports_them_all(staff_client, branches):
    rows = []
    for i in range(120):
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=i)
        rows.append(
            [i + 1, f"党员{i:03d}", "男", "汉族", born.isoformat(),
             make_id_number("140702", born, 11), "大专", "1965-07-01", "1966-07-01",
             "正式党员", "", "退休", "局机关支部", "", ""]
        )  # fmt: skip
    response = preview(staff_client, rows)
    content = response.content.decode()
    assert "共 120 行：新增 120 行，更新 0 行，忽略 0 行（内容未变）。" in content
    assert "下面只列出前 100 行" in content
    assert content.count('<tr class="new">') == 100
    assert "党员099" in content and "党员100" not in content
    import_file(staff_client, rows)
    assert Member.objects.filter(name__startswith="党员").count() == 120


@pytest.mark.django_db
@pytest.mark.parametrize("named", ["局机关支部", "市休干所老干部支部"])
def test_an_id_number_of_another_branchs_member_is_refused_like_an_unknown_one(
    secretary_client, branches, other_member, named
):
    """The refusal never tells a secretary that a number is registered with another branch:
    the same message, under the same column, with the row's other errors, as for a number
    nobody has, and nothing of the registered member in the preview."""
    unknown = make_id_number("140702", datetime.date(1941, 3, 2), 120)

    def row(number, organisation):
        return [9, "某某", "女", "汉族", "1941-03-02", number, "", "1966-03-02", "不是日期",
                "正式党员", "", "退休", organisation, "", ""]  # fmt: skip

    response = preview(
        secretary_client, [row(other_member.id_number, named), row(unknown, "市休干所老干部支部")]
    )
    errors = {r.number: r.error_dict for r in response.context["result"].invalid_rows}
    assert set(errors) == {1, 2}
    assert errors[1] == errors[2]
    assert errors[1]["所在党支部"] == ["您只能导入本人所在党组织的党员。"]
    assert "李秀英" not in response.content.decode()
    other_member.refresh_from_db()
    assert other_member.organisation == branches[1]


def csv_file(rows):
    """A roster saved as CSV: nothing stops a control character there."""
    import csv

    text = io.StringIO()
    writer = csv.writer(text)
    for row in [HEADERS, *rows]:
        writer.writerow(
            [
                value.strftime("%Y-%m-%d") if isinstance(value, datetime.date) else value
                for value in row
            ]
        )
    buffer = io.BytesIO(text.getvalue().encode("utf-8"))
    buffer.name = "党员花名册.csv"
    return buffer


@pytest.mark.django_db
def test_a_control_character_in_a_cell_is_that_rows_error(staff_client, branches):
    rows = good_rows()
    rows[1][14] = "响铃\x07"
    rows[2][10] = "\x1b[31m科员"
    response = staff_client.post(
        reverse("admin:members_member_import"),
        {
            "import_file": csv_file(rows),
            "format": csv_format(staff_client),
            "resource": "0",
        },
    )
    result = response.context["result"]
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(errors) == {2, 3}
    assert "不可见的控制字符" in errors[2]["备注"][0]
    assert "不可见的控制字符" in errors[3]["原工作单位及职务"][0]
    assert not Member.objects.exists()
