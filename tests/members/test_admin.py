"""Every persona over every members/ admin page: a branch secretary stops at the boundary of
their own organisations (another branch's member is a 404, not a form), managers read, only
bureau staff see everything, nobody deletes a member, ID numbers are masked without the
members.view_personal_data permission."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from members.models import CareVisit, DuesPayment, Member, MemberEvent
from tests.admin_forms import form_data
from tests.factories.members import CareVisitFactory, DuesPaymentFactory, MemberFactory

from .conftest import export_data

OWN_ID = "140702193805171233"
OTHER_ID = "140721194103020047"


def url(name, *args):
    return reverse(f"admin:members_{name}", args=args)


# page → (persona → expected status); "own" and "other" are the two branches' members.
MATRIX = {
    ("member_changelist",): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 403},
    ("member_add",): {"bureau_staff": 200, "secretary": 200, "manager": 403, "base_admin": 403},
    ("member_change", "own"): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 404},
    ("member_change", "other"): {"bureau_staff": 200, "secretary": 404, "manager": 200, "base_admin": 404},
    ("member_history", "own"): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 404},
    ("member_history", "other"): {"bureau_staff": 200, "secretary": 404, "manager": 200, "base_admin": 404},
    ("member_delete", "own"): {"bureau_staff": 403, "secretary": 403, "manager": 403, "base_admin": 404},
    ("member_standing", "own"): {"bureau_staff": 200, "secretary": 200, "manager": 403, "base_admin": 404},
    ("member_standing", "other"): {"bureau_staff": 200, "secretary": 404, "manager": 403, "base_admin": 404},
    ("member_care",): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 403},
    ("member_import",): {"bureau_staff": 200, "secretary": 200, "manager": 403, "base_admin": 403},
    ("member_export",): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 403},
    ("memberevent_changelist",): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 403},
    ("duespayment_changelist",): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 403},
    ("duespayment_register",): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 403},
    ("duespayment_add",): {"bureau_staff": 200, "secretary": 200, "manager": 403, "base_admin": 403},
    ("duespayment_change", "own_dues"): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 404},
    ("duespayment_change", "other_dues"): {"bureau_staff": 200, "secretary": 404, "manager": 200, "base_admin": 404},
    ("duespayment_history", "other_dues"): {"bureau_staff": 200, "secretary": 404, "manager": 200, "base_admin": 404},
    ("carevisit_changelist",): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 403},
    ("carevisit_add",): {"bureau_staff": 200, "secretary": 200, "manager": 403, "base_admin": 403},
    ("carevisit_change", "own_visit"): {"bureau_staff": 200, "secretary": 200, "manager": 200, "base_admin": 404},
    ("carevisit_change", "other_visit"): {"bureau_staff": 200, "secretary": 404, "manager": 200, "base_admin": 404},
    ("carevisit_delete", "other_visit"): {"bureau_staff": 200, "secretary": 404, "manager": 403, "base_admin": 404},
}  # fmt: skip


@pytest.fixture
def records(own_member, other_member):
    return {
        "own": own_member,
        "other": other_member,
        "own_dues": DuesPaymentFactory(member=own_member),
        "other_dues": DuesPaymentFactory(member=other_member),
        "own_visit": CareVisitFactory(member=own_member),
        "other_visit": CareVisitFactory(member=other_member),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["bureau_staff", "secretary", "manager", "base_admin"])
def test_every_persona_over_every_members_admin_page(client, request, records, persona):
    client.force_login(request.getfixturevalue(persona))
    failures = []
    for (name, *target), expected in MATRIX.items():
        args = [records[target[0]].pk] if target else []
        status = client.get(url(name, *args)).status_code
        if status != expected[persona]:
            failures.append(f"{name} {target}: {status}, expected {expected[persona]}")
    assert not failures, failures


@pytest.mark.django_db
def test_secretary_changelist_search_filters_and_autocomplete_stop_at_their_branch(
    secretary_client, secretary, own_member, other_member, own_branch
):
    from tests.factories.branches import OrganisationFactory

    second = OrganisationFactory(code="second", name="第二支部")
    second.secretaries.add(secretary)
    response = secretary_client.get(url("member_changelist"))
    assert list(response.context["cl"].result_list) == [own_member]
    response = secretary_client.get(url("member_changelist"), {"q": "李秀英"})
    assert list(response.context["cl"].result_list) == []
    MemberFactory(organisation=second)
    response = secretary_client.get(url("member_changelist"), {"roster": "all"})
    assert other_member not in response.context["cl"].result_list
    organisation_filter = next(
        f
        for f in response.context["cl"].filter_specs
        if getattr(f, "field_path", "") == "organisation"
    )
    assert {pk for pk, _name in organisation_filter.lookup_choices} == {own_branch.pk, second.pk}
    assert "市休干所老干部支部" not in response.content.decode()
    for model in ("carevisit", "duespayment"):
        response = secretary_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "members", "model_name": model, "field_name": "member", "term": ""},
        )
        names = {r["text"] for r in response.json()["results"]}
        assert "张守仁" in names and "李秀英" not in names


@pytest.mark.django_db
def test_secretary_sees_masked_id_numbers_everywhere(
    secretary_client, secretary, own_member, bureau_staff
):
    own_member.id_number = OWN_ID  # a change staff made, so the history has an old value
    own_member.save()
    pages = [
        url("member_changelist"),
        url("member_change", own_member.pk),
        url("member_history", own_member.pk),
        reverse(
            "admin:members_member_simple_history",
            args=[own_member.pk, own_member.history.earliest().history_id],
        ),
    ]
    for page in pages:
        response = secretary_client.get(page)
        assert response.status_code == 200, page
        content = response.content.decode()
        assert OWN_ID not in content, page
    assert "1407**********1233" in secretary_client.get(pages[0]).content.decode()
    response = secretary_client.get(url("member_changelist"), {"q": OWN_ID})
    assert list(response.context["cl"].result_list) == []


@pytest.mark.django_db
def test_staff_and_granted_secretaries_see_and_search_full_id_numbers(
    staff_client, client, secretary, own_member
):
    response = staff_client.get(url("member_changelist"), {"q": OWN_ID})
    assert list(response.context["cl"].result_list) == [own_member]
    assert OWN_ID in response.content.decode()
    secretary.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client.force_login(secretary)
    assert OWN_ID in client.get(url("member_change", own_member.pk)).content.decode()


@pytest.mark.django_db
def test_nobody_deletes_a_member_through_the_admin(staff_client, superuser, client, own_member):
    response = staff_client.get(url("member_changelist"))
    assert "delete_selected" not in response.context["cl"].model_admin.get_actions(
        response.wsgi_request
    )
    client.force_login(superuser)
    response = client.post(url("member_delete", own_member.pk), {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        url("member_changelist"),
        {"action": "delete_selected", "_selected_action": [own_member.pk], "post": "yes"},
    )
    assert Member.objects.filter(pk=own_member.pk).exists()


def member_form(organisation, **overrides):
    data = {
        "name": "王建国",
        "gender": "M",
        "ethnicity": "01",
        "birth_date": "1950-03-04",
        "id_number": "140702195003041235",
        "organisation": organisation.pk,
        "category": "full",
        "joined_on": "1975-07-01",
        "confirmed_on": "1976-07-01",
        "employment": "retired",
        "entry": "joined",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_staff_add_a_member_with_a_valid_id_number_and_an_entry_event(
    staff_client, bureau_staff, own_branch
):
    from members.idnumbers import make_id_number

    number = make_id_number("140702", datetime.date(1950, 3, 4), 135)
    response = staff_client.post(url("member_add"), member_form(own_branch, id_number=number))
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get(id_number=number)
    event = member.events.get(kind=MemberEvent.Kind.JOINED)
    assert event.recorded_by == bureau_staff and event.to_organisation == own_branch
    assert member.history.first().history_user == bureau_staff


@pytest.mark.django_db
def test_a_wrong_id_number_is_refused_in_chinese_and_keeps_what_was_typed(staff_client, own_branch):
    response = staff_client.post(
        url("member_add"), member_form(own_branch, id_number="140702195003041234")
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["id_number"] == ["身份证号码校验码不正确，请核对号码。"]
    assert form["name"].value() == "王建国"
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_secretary_cannot_add_a_member_to_another_branch(secretary_client, other_branch):
    from members.idnumbers import make_id_number

    number = make_id_number("140702", datetime.date(1950, 3, 4), 135)
    response = secretary_client.post(url("member_add"), member_form(other_branch, id_number=number))
    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not Member.objects.filter(id_number=number).exists()


@pytest.mark.django_db
def test_secretary_post_to_another_branchs_member_changes_nothing(secretary_client, other_member):
    response = secretary_client.post(url("member_change", other_member.pk), {"name": "被篡改"})
    assert response.status_code == 404
    other_member.refresh_from_db()
    assert other_member.name == "李秀英"


@pytest.mark.django_db
def test_organisation_and_category_cannot_be_edited_in_the_change_form(
    staff_client, own_member, other_branch
):
    page = staff_client.get(url("member_change", own_member.pk))
    form = page.context["adminform"].form
    assert "organisation" not in form.fields and "category" not in form.fields
    data = form_data(page)
    data.update({"name": "张守仁", "phone": "13800001111", "organisation": other_branch.pk})
    response = staff_client.post(url("member_change", own_member.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    own_member.refresh_from_db()
    assert own_member.phone == "13800001111"
    assert own_member.organisation != other_branch


@pytest.mark.django_db
def test_moving_a_member_through_the_standing_page(
    staff_client, bureau_staff, own_member, other_branch
):
    response = staff_client.post(
        url("member_standing", own_member.pk),
        {"kind": "moved", "on": "2024-03-01", "to_organisation": other_branch.pk},
    )
    assert response.status_code == 302
    own_member.refresh_from_db()
    assert own_member.organisation == other_branch
    event = own_member.events.get(kind="moved")
    assert event.recorded_by == bureau_staff and event.occurred_on == datetime.date(2024, 3, 1)


@pytest.mark.django_db
def test_secretary_cannot_move_their_member_into_another_branch(
    secretary_client, own_member, own_branch, other_branch
):
    response = secretary_client.post(
        url("member_standing", own_member.pk),
        {"kind": "moved", "on": "2024-03-01", "to_organisation": other_branch.pk},
    )
    assert response.status_code == 200
    assert "to_organisation" in response.context["form"].errors
    own_member.refresh_from_db()
    assert own_member.organisation == own_branch
    assert not own_member.events.filter(kind="moved").exists()


@pytest.mark.django_db
def test_a_death_moves_the_member_to_the_history_register(staff_client, own_member):
    response = staff_client.post(
        url("member_standing", own_member.pk),
        {"kind": "deceased", "on": "2024-03-01", "note": "病逝"},
    )
    assert response.status_code == 302
    current = staff_client.get(url("member_changelist")).context["cl"].result_list
    former = staff_client.get(url("member_changelist"), {"roster": "former"}).context["cl"]
    assert own_member not in current
    assert list(former.result_list) == [own_member]
    assert staff_client.get(url("member_standing", own_member.pk)).status_code == 403


@pytest.mark.django_db
def test_dues_are_computed_from_the_base_and_scoped_for_secretaries(
    secretary_client, secretary, own_member, other_member
):
    own_member.dues_base = 6000
    own_member.save()
    data = {"member": own_member.pk, "year": "2024", "month": "3", "paid_on": "2024-03-05"}
    response = secretary_client.post(url("duespayment_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    payment = DuesPayment.objects.get()
    # A retired member's base above 5,000 yuan pays 1% (the rules' second band).
    assert (payment.base, payment.rate, payment.amount) == (6000, Decimal("0.01"), 60)
    assert payment.recorded_by == secretary
    [added] = payment.history.all()
    assert (added.history_type, added.history_user, added.amount) == ("+", secretary, 60)
    assert response["Location"] == url("duespayment_changelist")
    response = secretary_client.post(url("duespayment_add"), {**data, "member": other_member.pk})
    assert response.status_code == 200
    assert DuesPayment.objects.count() == 1
    response = secretary_client.get(url("duespayment_register"), {"year": 2024})
    assert [row.member for row in response.context["rows"]] == [own_member]


@pytest.mark.django_db
def test_dues_keep_the_amount_actually_paid_with_the_rules_base_and_rate(staff_client, own_member):
    own_member.dues_base = 4000
    own_member.save()
    response = staff_client.post(
        url("duespayment_add"),
        {"member": own_member.pk, "year": "2024", "month": "4", "paid_on": "2024-04-02",
         "amount": "50"},
    )  # fmt: skip
    assert response.status_code == 302
    payment = DuesPayment.objects.get()
    assert (payment.base, payment.rate, payment.amount) == (4000, Decimal("0.005"), 50)


@pytest.mark.django_db
def test_dues_need_a_base(staff_client, own_member):
    response = staff_client.post(
        url("duespayment_add"),
        {"member": own_member.pk, "year": "2024", "month": "3", "paid_on": "2024-03-05"},
    )
    assert response.status_code == 200
    assert "党费计算基数" in str(response.context["adminform"].form.errors["member"])


@pytest.mark.django_db
def test_secretary_records_a_care_visit_for_their_member_only(
    secretary_client, secretary, own_member, other_member
):
    data = {"kind": "birthday", "visited_on": "2024-05-17", "visitors": "支部书记"}
    response = secretary_client.post(url("carevisit_add"), {**data, "member": own_member.pk})
    assert response.status_code == 302
    assert CareVisit.objects.get().recorded_by == secretary
    response = secretary_client.post(url("carevisit_add"), {**data, "member": other_member.pk})
    assert response.status_code == 200
    assert CareVisit.objects.count() == 1


@pytest.mark.django_db
def test_exports_are_scoped_masked_and_neutralised(secretary_client, own_member, other_member):
    own_member.notes = '=HYPERLINK("http://x")'
    own_member.phone = "13912345678"
    own_member.save()
    response = export_data(secretary_client)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:6] == ["序号", "姓名", "性别", "民族", "出生日期", "身份证号码"]
    assert len(rows) == 2
    row = dict(zip(header, rows[1], strict=True))
    assert row["姓名"] == "张守仁" and row["身份证号码"] == "1407**********1233"
    assert row["联系电话"] == "139****5678"
    assert row["备注"].startswith("'=")
    assert row["所在党支部"] == "局机关支部" and row["人员类别"] == "正式党员"


@pytest.mark.django_db
def test_staff_export_has_full_id_numbers(staff_client, own_member, other_member):
    response = export_data(staff_client)
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = {row[5].value for row in sheet.iter_rows(min_row=2)}
    assert numbers == {OWN_ID, OTHER_ID}


@pytest.mark.django_db
def test_care_page_lists_only_the_secretarys_members(secretary_client, own_branch, other_branch):
    today = datetime.date.today()
    born = datetime.date(today.year - 80, today.month, 1)
    mine = MemberFactory(organisation=own_branch, birth_date=born, name="本支部老同志")
    MemberFactory(organisation=other_branch, birth_date=born, name="外支部老同志")
    response = secretary_client.get(url("member_care"))
    assert list(response.context["birthdays"]) == [mine]
    assert list(response.context["visits_due"]) == [mine]
    assert "外支部老同志" not in response.content.decode()


@pytest.mark.django_db
def test_managers_read_masked_records_and_cannot_change_them(manager_client, own_member):
    response = manager_client.get(url("member_change", own_member.pk))
    content = response.content.decode()
    assert OWN_ID not in content and "1407**********1233" in content
    response = manager_client.post(url("member_change", own_member.pk), {"name": "改名"})
    assert response.status_code == 403
    own_member.refresh_from_db()
    assert own_member.name == "张守仁"


@pytest.mark.django_db
def test_writes_outside_a_personas_rights_are_refused(
    client, manager, base_admin, own_member, other_branch
):
    client.force_login(manager)
    assert client.post(url("member_import"), {}).status_code == 403
    assert client.post(url("member_add"), member_form(other_branch)).status_code == 403
    response = client.post(
        url("member_standing", own_member.pk), {"kind": "deceased", "on": "2024-01-01"}
    )
    assert response.status_code == 403
    client.force_login(base_admin)
    response = client.post(
        url("member_standing", own_member.pk), {"kind": "deceased", "on": "2024-01-01"}
    )
    assert response.status_code == 404
    own_member.refresh_from_db()
    assert (
        own_member.status == Member.Status.CURRENT
        and not Member.objects.filter(name="王建国").exists()
    )


@pytest.mark.django_db
def test_a_secretary_of_one_branch_finds_it_preselected(secretary_client, own_branch):
    response = secretary_client.get(url("member_add"))
    assert response.context["adminform"].form.initial["organisation"] == own_branch.pk


@pytest.mark.django_db
def test_a_secretary_records_a_transfer_back_in_on_the_standing_page(
    secretary_client, secretary, own_member, bureau_staff
):
    from members.services import member_leave

    member_leave(
        member=own_member,
        kind=MemberEvent.Kind.TRANSFERRED_OUT,
        on=datetime.date(2023, 3, 1),
        by=bureau_staff,
        place="太原市委组织部",
    )
    change = secretary_client.get(url("member_change", own_member.pk)).content.decode()
    assert "登记组织关系转回" in change
    page = secretary_client.get(url("member_standing", own_member.pk))
    assert list(page.context["form"].fields["kind"].choices) == [("transferred_in", "组织关系转回")]
    response = secretary_client.post(
        url("member_standing", own_member.pk),
        {
            "kind": "transferred_in",
            "on": "2024-05-10",
            "to_organisation": own_member.organisation_id,
            "place": "太原市委组织部",
        },
    )
    assert response.status_code == 302
    own_member.refresh_from_db()
    assert own_member.status == Member.Status.CURRENT
    event = own_member.events.latest("occurred_on")
    assert (event.kind, event.recorded_by) == (MemberEvent.Kind.TRANSFERRED_IN, secretary)
    assert Member.objects.filter(id_number=own_member.id_number).count() == 1


@pytest.mark.django_db
def test_a_secretary_voids_the_latest_change_on_the_member_page(
    secretary_client, secretary, own_member, other_member, bureau_staff
):
    from members.services import member_confirm

    own_member.category = Member.Category.PROBATIONARY
    own_member.confirmed_on = None
    own_member.joined_on = datetime.date(2020, 1, 1)
    own_member.save()
    member_confirm(member=own_member, on=datetime.date(2021, 2, 1), by=bureau_staff)
    assert (
        "撤销最近一次党籍变动"
        in secretary_client.get(url("member_change", own_member.pk)).content.decode()
    )
    response = secretary_client.post(url("member_void", own_member.pk), {"reason": "转正日期未到"})
    assert response.status_code == 302
    own_member.refresh_from_db()
    assert (own_member.category, own_member.confirmed_on) == (Member.Category.PROBATIONARY, None)
    page = secretary_client.get(url("member_change", own_member.pk)).content.decode()
    assert "转正日期未到" in page  # the voided change stays in the history, with its reason
    assert secretary_client.get(url("member_void", other_member.pk)).status_code == 404
