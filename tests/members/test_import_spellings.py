"""Rosters as branches keep them: every value of the national classifications and the spellings
people type, and Excel 97–2003 files. Expected codes are written out here, not read from the
code's tables."""

import datetime
import os
import shutil
import subprocess

import pytest
from django.urls import reverse

from members.models import Member
from members.resources import MemberResource
from tests.members.test_import import ID_A, ID_B, ID_C, good_rows, import_file, preview, workbook


def clean(column, cell):
    return MemberResource().fields[column].widget.clean(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # GB/T 4658-2006 by code and by name.
        ("10", "postgraduate"), ("11", "postgraduate"), ("14", "postgraduate"), (14.0, "postgraduate"),
        ("博士研究生毕业", "postgraduate"), ("硕士研究生结业", "postgraduate"),
        ("研究生班毕业", "postgraduate"),
        ("20", "university"), ("21", "university"), ("23", "university"), ("28", "university"),
        ("大学本科毕业", "university"), ("大学普通班毕业", "university"),
        ("30", "college"), ("31", "college"), ("大学专科毕业", "college"),
        ("40", "vocational"), ("41", "vocational"), ("44", "vocational"), ("47", "vocational"),
        ("中等专科毕业", "vocational"), ("职业高中毕业", "vocational"), ("技工学校毕业", "vocational"),
        ("60", "high_school"), ("61", "high_school"), ("普通高中毕业", "high_school"),
        ("70", "junior_school"), ("71", "junior_school"), ("初中毕业", "junior_school"),
        ("80", "primary"), ("81", "primary"), ("小学毕业", "primary"), ("90", "primary"),
        # What rosters write.
        ("博士研究生", "postgraduate"), ("硕士研究生", "postgraduate"), ("研究生", "postgraduate"),
        ("博士", "postgraduate"), ("硕士", "postgraduate"), ("中央党校研究生", "postgraduate"),
        ("大学本科", "university"), ("本科", "university"), ("大学", "university"),
        ("省委党校大学", "university"), ("本科学历", "university"),
        ("大学专科", "college"), ("大专", "college"), ("专科", "college"), ("党校大专", "college"),
        ("中专", "vocational"), ("中技", "vocational"), ("技校", "vocational"), ("职高", "vocational"),
        ("高中", "high_school"), ("初中", "junior_school"), ("小学", "primary"),
        ("文盲", "primary"), (" 硕士 研究生 ", "postgraduate"), ("", ""),
    ],
)  # fmt: skip
def test_every_education_of_the_national_classification_and_its_spellings(cell, expected):
    assert clean("education", cell) == expected


def test_an_unknown_education_names_the_levels_in_chinese():
    with pytest.raises(ValueError, match="“幼儿园”不是可选值之一") as error:
        clean("education", "幼儿园")
    assert "研究生" in str(error.value) and "大学本科" in str(error.value)


NATIONALITIES = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
]


@pytest.mark.parametrize(("number", "name"), list(enumerate(NATIONALITIES, start=1)))
def test_all_56_nationalities_with_or_without_zu_and_by_code(number, name):
    code = f"{number:02d}"
    assert clean("ethnicity", name + "族") == code
    assert clean("ethnicity", name) == code
    assert clean("ethnicity", code) == code
    assert clean("ethnicity", str(number)) == code
    assert clean("ethnicity", float(number)) == code


def test_there_are_56_nationalities():
    assert len(NATIONALITIES) == 56


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("维族", "05"), ("蒙族", "02"), ("朝族", "10"), ("崩龙族", "46"), (" 汉 族 ", "01")],
)
def test_short_forms_of_nationalities(cell, expected):
    assert clean("ethnicity", cell) == expected


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("category", "正式党员", "full"), ("category", "正式", "full"),
        ("category", "中共党员", "full"), ("category", "预备党员", "probationary"),
        ("category", "预备", "probationary"), ("category", "中共预备党员", "probationary"),
        ("employment", "在职", "in_service"), ("employment", "在岗", "in_service"),
        ("employment", "退休", "retired"), ("employment", "退休干部", "retired"),
        ("employment", "已退休", "retired"), ("employment", "离休", "lixiu"),
        ("employment", "离休干部", "lixiu"),
        ("gender", "男", "M"), ("gender", "女性", "F"),
    ],
)  # fmt: skip
def test_category_employment_and_gender_as_rosters_write_them(column, cell, expected):
    assert clean(column, cell) == expected


def test_no_spelling_means_two_things():
    """A spelling listed under two values would silently take the first."""
    from members.choices import EDUCATION_SPELLINGS
    from members.resources import CATEGORY_ALIASES, EMPLOYMENT_ALIASES, ETHNICITY_ALIASES

    for table in (EDUCATION_SPELLINGS, ETHNICITY_ALIASES, CATEGORY_ALIASES, EMPLOYMENT_ALIASES):
        seen = {}
        for value, spellings in table.items():
            for spelling in spellings:
                assert seen.setdefault(spelling, value) == value, spelling


@pytest.fixture
def branches(own_branch, other_branch):
    return own_branch, other_branch


@pytest.mark.django_db
def test_a_roster_with_a_masters_degree_and_month_dates_is_imported(staff_client, branches):
    rows = good_rows()
    rows[0][6], rows[0][7], rows[0][8] = "硕士研究生", "1960.7", "1961年7月"
    rows[1][3], rows[1][6], rows[1][11] = "维吾尔", "中等专科毕业", "离休干部"
    rows[2][6], rows[2][9] = "技校", "中共预备党员"
    assert import_file(staff_client, rows).status_code == 302
    zhao = Member.objects.get(id_number=ID_A)
    assert zhao.education == "postgraduate"
    assert (zhao.joined_on, zhao.confirmed_on) == (
        datetime.date(1960, 7, 1),
        datetime.date(1961, 7, 1),
    )
    qian = Member.objects.get(id_number=ID_B)
    assert (qian.ethnicity, qian.education, qian.employment) == ("05", "vocational", "lixiu")
    sun = Member.objects.get(id_number=ID_C)
    assert (sun.education, sun.category) == ("vocational", "probationary")


@pytest.mark.django_db
def test_wrong_rows_are_listed_in_a_table_row_by_row_not_in_tooltips(staff_client, branches):
    rows = good_rows()
    rows[0][6] = "幼儿园"
    rows[2][7] = "2024年13月1日"
    rows[2][2] = "未知"
    content = preview(staff_client, rows).content.decode()
    assert 'class="import-errors"' in content
    assert "validation-error-container" not in content  # the library's hover list
    table = content[content.index('class="import-errors"') :]
    table = table[: table.index("</table>")]
    cells = [
        [cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]
        for row in table.split("<tr>")[2:]
    ]
    # Spreadsheet rows: the headers are row 1, the first member row 2.
    assert ["2", "学历"] in [cell[:2] for cell in cells]
    assert {tuple(cell[:2]) for cell in cells} == {("2", "学历"), ("4", "性别"), ("4", "入党时间")}
    assert any("“幼儿园”不是可选值之一" in cell[2] for cell in cells)
    assert "文件中有 2 行有误，因此未写入任何数据。" in content
    assert not Member.objects.exists()


def libreoffice():
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        message = "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return office


@pytest.mark.django_db
def test_an_excel_97_2003_roster_is_imported(staff_client, branches, tmp_path):
    """A real .xls, saved by LibreOffice from a workbook made here: date cells stay dates."""
    source = tmp_path / "roster.xlsx"
    source.write_bytes(workbook(good_rows()).getvalue())
    subprocess.run(
        [libreoffice(), f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "xls", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    upload = (tmp_path / "roster.xls").read_bytes()
    assert upload.startswith(bytes.fromhex("d0cf11e0a1b11ae1"))  # an OLE2 file, as Excel 97 wrote
    page = staff_client.get(reverse("admin:members_member_import"))
    choices = page.context["form"].fields["format"].choices
    xls = next(str(i) for i, label in choices if str(label) == "xls")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff_client.post(
        reverse("admin:members_member_import"),
        {
            "import_file": SimpleUploadedFile("党员花名册.xls", upload),
            "format": xls,
            "resource": "0",
        },
    )
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), [
        row.error_dict for row in result.invalid_rows
    ]
    confirm = response.context["confirm_form"]
    staff_client.post(
        reverse("admin:members_member_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    zhao = Member.objects.get(id_number=ID_A)
    assert zhao.birth_date == datetime.date(1938, 5, 17)  # an Excel date cell
    assert zhao.confirmed_on == datetime.date(1961, 7, 1)  # text 1961.7.1
    assert zhao.phone == "13835400001"  # a number cell, without its .0
    assert Member.objects.get(id_number=ID_B).ethnicity == "03"
    assert Member.objects.count() == 3


@pytest.mark.django_db
def test_a_file_that_is_not_an_xls_is_refused_in_chinese(staff_client, branches):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = staff_client.get(reverse("admin:members_member_import"))
    choices = page.context["form"].fields["format"].choices
    xls = next(str(i) for i, label in choices if str(label) == "xls")
    response = staff_client.post(
        reverse("admin:members_member_import"),
        {
            "import_file": SimpleUploadedFile("a.xls", b"not a workbook"),
            "format": xls,
            "resource": "0",
        },
    )
    assert "不是 Excel 97–2003 工作簿" in response.content.decode()
    assert not Member.objects.exists()
