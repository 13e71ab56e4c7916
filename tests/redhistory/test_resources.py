"""Artefacts and veterans in the census spreadsheet layout: Chinese headers, all-or-nothing
imports with Chinese row errors, neutralised formulas on export, private columns kept back."""

import datetime
import io

import pytest
import tablib
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from redhistory.models import AccessionCounter, Artefact, CustodyEvent, Veteran
from redhistory.resources import ArtefactResource, VeteranResource
from tests.factories.redhistory import ArtefactFactory, VeteranFactory

pytestmark = pytest.mark.django_db

CENSUS_HEADERS = [
    "总登记号",
    "藏品名称",
    "类别",
    "年代",
    "战争时期",
    "制作年代",
    "材质",
    "完残程度",
    "实际数量",
    "尺寸",
    "来源方式",
    "入藏日期",
    "文物级别",
    "捐赠人",
    "借展归还日期",
    "藏品故事",
]


def xlsx(headers, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def dataset(headers, rows):
    return tablib.Dataset().load(xlsx(headers, rows), format="xlsx")


def artefact_row(number="", name="家书", donor="", category="家书信件", quantity=1):
    return [
        number,
        name,
        category,
        "抗日战争时期",
        "抗日战争",
        "1943年",
        "纸",
        "基本完整",
        quantity,
        "20×15厘米",
        "捐赠",
        datetime.datetime(2024, 5, 10),
        "一般文物",
        donor,
        None,
        "写给母亲的信。",
    ]


def test_artefact_import_reads_the_census_columns(bureau_staff):
    VeteranFactory(name="李树林")
    data = dataset(
        CENSUS_HEADERS,
        [artefact_row(donor="李树林"), artefact_row("HS-2023-0042", "军功章", "", "勋章奖章")],
    )
    result = ArtefactResource(user=bureau_staff).import_data(data, dry_run=False)
    assert not result.has_errors()
    assert not result.has_validation_errors(), [row.error_dict for row in result.invalid_rows]
    letter = Artefact.objects.get(name="家书")
    assert letter.accession_number == "HS-2024-0001"
    assert (letter.category, letter.condition, letter.acquisition) == (
        "letter",
        "mostly_complete",
        "donation",
    )
    assert letter.donor.name == "李树林" and letter.acquired_on == datetime.date(2024, 5, 10)
    assert letter.custody_events.get().kind == CustodyEvent.Kind.ENTRY
    medal = Artefact.objects.get(accession_number="HS-2023-0042")
    assert medal.category == "medal"
    assert AccessionCounter.objects.get(year=2023).last == 42
    assert letter.history.first().history_type == "+"


def test_a_bad_row_writes_nothing_and_says_why_in_chinese(bureau_staff):
    data = dataset(
        CENSUS_HEADERS,
        [
            artefact_row(name="好的一行"),
            artefact_row(name="坏类别", category="兵器"),
            artefact_row(name="坏数量", quantity="很多"),
            artefact_row(name="没人捐", donor="查无此人"),
        ],
    )
    result = ArtefactResource(user=bureau_staff).import_data(
        data, dry_run=False, use_transactions=True
    )
    assert result.has_validation_errors()
    messages = " ".join(
        str(message)
        for row in result.invalid_rows
        for messages in row.error_dict.values()
        for message in messages
    )
    assert "“兵器”不是可选值之一" in messages
    assert "“很多”不是整数" in messages
    assert "没有名为“查无此人”的老同志" in messages
    assert not Artefact.objects.exists()
    assert not CustodyEvent.objects.exists()


def test_artefact_export_has_chinese_headers_and_neutralised_formulas():
    ArtefactFactory(name='=HYPERLINK("http://evil")', story="+cmd", category="medal")
    exported = ArtefactResource().export()
    assert exported.headers == CENSUS_HEADERS
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["藏品名称"] == '\'=HYPERLINK("http://evil")'
    assert row["藏品故事"] == "'+cmd"
    assert row["类别"] == "勋章奖章" and row["完残程度"] == "完整"


def test_an_exported_sheet_imports_back_when_two_donors_share_a_name(bureau_staff):
    first, second = VeteranFactory(name="李树林"), VeteranFactory(name="李树林")
    ArtefactFactory(name="家书", donor=first)
    ArtefactFactory(name="军功章", donor=second)
    exported = ArtefactResource(user=bureau_staff).export()
    donors = dict(zip(exported["藏品名称"], exported["捐赠人"], strict=True))
    assert donors == {"家书": f"李树林（{first.pk}）", "军功章": f"李树林（{second.pk}）"}

    result = ArtefactResource(user=bureau_staff).import_data(
        tablib.import_set(exported.export("csv"), format="csv"), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors(), [
        row.error_dict for row in result.invalid_rows
    ]
    assert dict(Artefact.objects.values_list("name", "donor")) == {
        "家书": first.pk,
        "军功章": second.pk,
    }


@pytest.mark.parametrize(
    ("donor", "message"),
    [
        ("李树林", "位老同志名为“李树林”"),
        ("王二（{pk}）", "不是“王二”"),
        ("李树林（999999）", "999999"),
    ],
)
def test_an_ambiguous_or_contradictory_donor_is_refused(bureau_staff, donor, message):
    veteran = VeteranFactory(name="李树林")
    VeteranFactory(name="李树林")
    data = dataset(CENSUS_HEADERS, [artefact_row(donor=donor.format(pk=veteran.pk))])
    result = ArtefactResource(user=bureau_staff).import_data(data, dry_run=False)
    messages = " ".join(
        str(m) for row in result.invalid_rows for ms in row.error_dict.values() for m in ms
    )
    assert message in messages
    assert not Artefact.objects.exists()


def test_veteran_import_and_export_round_trip(bureau_staff):
    headers = [
        "编号",
        "姓名",
        "性别",
        "出生年份",
        "县（市、区）",
        "籍贯",
        "参战经历",
        "同意公开",
        "失能",
        "失语",
    ]
    rows = [
        ["", "张保国", "男", 1928, "左权县", "山西左权", "抗日战争、解放战争", "是", "否", "是"],
    ]
    result = VeteranResource(user=bureau_staff).import_data(dataset(headers, rows), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), [
        row.error_dict for row in result.invalid_rows
    ]
    veteran = Veteran.objects.get(name="张保国")
    assert veteran.county == "zuoquan" and veteran.aphasic and veteran.public_profile
    assert [war.value for war in veteran.wars] == ["anti_japanese", "liberation"]
    exported = VeteranResource(user=bureau_staff).export()
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["参战经历"] == "抗日战争、解放战争"
    assert row["失语"] == "是" and "监护人电话" in exported.headers


def test_veteran_import_refuses_an_unknown_number(bureau_staff):
    result = VeteranResource(user=bureau_staff).import_data(
        dataset(
            ["编号", "姓名", "性别", "出生年份", "县（市、区）"],
            [[999, "某", "男", 1930, "榆次区"]],
        ),
        dry_run=False,
    )
    assert result.has_errors() or result.has_validation_errors()
    assert not Veteran.objects.exists()


def test_readers_export_veterans_without_health_or_guardian(manager):
    VeteranFactory(guardian_phone="13900000000", disabled=True)
    exported = VeteranResource(user=manager).export()
    assert "监护人电话" not in exported.headers and "失能" not in exported.headers
    assert "13900000000" not in exported.csv


def format_index(form, label="xlsx"):
    return str(next(i for i, name in form.fields["format"].choices if str(name) == label))


def test_manager_exports_artefacts_from_the_admin(manager_client):
    ArtefactFactory(name="抗战纪念章")
    url = reverse("admin:redhistory_artefact_export")
    form = manager_client.get(url).context["form"]
    data = {"format": format_index(form), "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("artefactresource_")})
    response = manager_client.post(url, data)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert list(rows[0][:2]) == ["总登记号", "藏品名称"]
    assert rows[1][1] == "抗战纪念章"


def test_manager_cannot_import(manager_client):
    assert manager_client.get(reverse("admin:redhistory_artefact_import")).status_code == 403


def test_staff_import_artefacts_through_the_admin(staff_client):
    url = reverse("admin:redhistory_artefact_import")
    form = staff_client.get(url).context["form"]
    upload = io.BytesIO(xlsx(CENSUS_HEADERS, [artefact_row(name="木箱")]))
    upload.name = "census.xlsx"
    response = staff_client.post(
        url, {"resource": "0", "format": format_index(form), "import_file": upload}
    )
    assert response.status_code == 200
    assert "confirm_form" in response.context, response.content.decode()[-3000:]
    assert not Artefact.objects.exists()  # the preview writes nothing
    confirm = response.context["confirm_form"]
    response = staff_client.post(
        reverse("admin:redhistory_artefact_process_import"), dict(confirm.initial)
    )
    assert response.status_code == 302
    assert Artefact.objects.get(name="木箱").accession_number.startswith("HS-2024-")
