"""A base administrator works on their own bases only, like a branch secretary on their branch:
another base is a 404 on every admin page, and bureau-only fields stay out of reach."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exhibitions.models import ConstructionMilestone, EducationBase, ExhibitionSection
from tests.admin_forms import form_data
from tests.factories.accounts import UserFactory
from tests.factories.branches import MeetingFactory
from tests.factories.exhibitions import EducationBaseFactory, ExhibitionSectionFactory


def admin_url(name, *args):
    return reverse(f"admin:exhibitions_{name}", args=args)


@pytest.mark.django_db
def test_base_admin_changelist_lists_only_their_own_bases(base_admin_client, own_base, other_base):
    response = base_admin_client.get(admin_url("educationbase_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own_base]
    response = base_admin_client.get(admin_url("educationbase_changelist"), {"q": "平遥"})
    assert list(response.context["cl"].result_list) == []


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_base_admin_gets_a_404_for_another_bases_pages(base_admin_client, other_base, page):
    response = base_admin_client.get(admin_url(f"educationbase_{page}", other_base.pk))
    assert response.status_code == 404


@pytest.mark.django_db
def test_base_admin_cannot_read_an_old_version_of_another_base(base_admin_client, other_base):
    other_base.feature = "改过的特色"
    other_base.save()
    version = other_base.history.first()
    url = reverse(
        "admin:exhibitions_educationbase_simple_history",
        args=[other_base.pk, version.history_id],
    )
    assert base_admin_client.get(url).status_code == 404


@pytest.mark.django_db
def test_base_admin_reads_the_history_of_their_own_base(base_admin_client, own_base):
    response = base_admin_client.get(admin_url("educationbase_history", own_base.pk))
    assert response.status_code == 200


@pytest.mark.django_db
def test_base_admin_cannot_add_or_delete_a_base(base_admin_client, own_base):
    assert base_admin_client.get(admin_url("educationbase_add")).status_code == 403
    response = base_admin_client.post(
        admin_url("educationbase_delete", own_base.pk), {"post": "yes"}
    )
    assert response.status_code == 403
    assert EducationBase.objects.filter(pk=own_base.pk).exists()


@pytest.mark.django_db
def test_base_admin_edits_their_base_but_cannot_assign_administrators(
    base_admin_client, base_admin, own_base
):
    outsider = UserFactory(username="outsider", roles=["基地管理员"])
    page = base_admin_client.get(admin_url("educationbase_change", own_base.pk))
    assert page.status_code == 200
    data = form_data(page)
    assert "administrators" not in data and "kind" not in data and "featured" not in data
    data.update(
        feature="以红色家书为特色",
        administrators=[str(outsider.pk)],
        kind="sub_base",
        featured="on",
    )
    response = base_admin_client.post(admin_url("educationbase_change", own_base.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    own_base.refresh_from_db()
    assert own_base.feature == "以红色家书为特色"
    assert list(own_base.administrators.all()) == [base_admin]
    assert own_base.kind == "independent" and not own_base.featured


@pytest.mark.django_db
def test_base_admin_post_to_another_base_changes_nothing(base_admin_client, own_base, other_base):
    response = base_admin_client.post(
        admin_url("educationbase_change", other_base.pk), {"name": "被篡改", "feature": "x"}
    )
    assert response.status_code == 404
    other_base.refresh_from_db()
    assert other_base.name == "平遥县红色教育基地"


@pytest.mark.django_db
def test_inlines_show_only_the_bases_own_milestones_and_sections(
    base_admin_client, own_base, other_base
):
    ExhibitionSectionFactory(base=own_base, title="本馆序厅")
    ExhibitionSectionFactory(base=other_base, title="别馆序厅")
    html = base_admin_client.get(admin_url("educationbase_change", own_base.pk)).content.decode()
    assert "本馆序厅" in html and "别馆序厅" not in html


@pytest.mark.django_db
def test_base_admin_sees_and_edits_only_their_sections(base_admin_client, own_base, other_base):
    own = ExhibitionSectionFactory(base=own_base)
    other = ExhibitionSectionFactory(base=other_base)
    response = base_admin_client.get(admin_url("exhibitionsection_changelist"))
    assert list(response.context["cl"].result_list) == [own]
    for page in ["change", "history", "delete"]:
        url = admin_url(f"exhibitionsection_{page}", other.pk)
        assert base_admin_client.get(url).status_code == 404, page
    assert base_admin_client.get(admin_url("exhibitionsection_change", own.pk)).status_code == 200


@pytest.mark.django_db
def test_base_admin_cannot_add_a_section_to_another_base(base_admin_client, own_base, other_base):
    data = {
        "base": str(other_base.pk),
        "order": "1",
        "title": "偷偷加的展区",
        "text": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }
    response = base_admin_client.post(admin_url("exhibitionsection_add"), data)
    assert response.status_code == 200
    assert "base" in response.context["adminform"].form.errors
    assert not ExhibitionSection.objects.filter(title="偷偷加的展区").exists()
    data["base"] = str(own_base.pk)
    response = base_admin_client.post(admin_url("exhibitionsection_add"), data)
    assert response.status_code == 302
    assert ExhibitionSection.objects.get(title="偷偷加的展区").base == own_base


@pytest.mark.django_db
def test_autocomplete_offers_a_base_admin_only_their_bases(base_admin_client, own_base, other_base):
    response = base_admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "exhibitions", "model_name": "exhibitionsection", "field_name": "base"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(own_base.pk)]


@pytest.mark.django_db
def test_export_holds_only_the_base_admins_bases(base_admin_client, own_base, other_base):
    response = base_admin_client.get(admin_url("educationbase_export"))
    assert response.status_code == 200
    form = response.context["form"]
    xlsx = next(i for i, label in form.fields["format"].choices if str(label) == "xlsx")
    data = {"format": str(xlsx), "resource": "0"}
    for name in form.fields:
        if name.startswith("educationbaseresource_"):
            data[name] = "on"
    response = base_admin_client.post(admin_url("educationbase_export"), data)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert "名称" in rows[0]
    names = [row[rows[0].index("名称")] for row in rows[1:]]
    assert names == [own_base.name]


@pytest.mark.django_db
def test_base_admin_cannot_import(base_admin_client):
    assert base_admin_client.get(admin_url("educationbase_import")).status_code == 403


@pytest.mark.django_db
def test_base_admin_page_lists_the_meetings_held_there(base_admin_client, own_base):
    MeetingFactory(base=own_base, topic="在基地重温入党誓词")
    MeetingFactory(topic="在会议室开会")
    html = base_admin_client.get(admin_url("educationbase_change", own_base.pk)).content.decode()
    assert "在基地重温入党誓词" in html and "在会议室开会" not in html


@pytest.mark.django_db
def test_bureau_staff_add_a_base_and_assign_its_administrator(staff_client):
    admin_user = UserFactory(username="new_base_admin", roles=["基地管理员"])
    page = staff_client.get(admin_url("educationbase_add"))
    assert page.status_code == 200
    data = form_data(page)
    data.update(
        name="榆社县新建红色教育分基地",
        slug="yushe-new",
        kind="sub_base",
        county="yushe",
        administrators=[str(admin_user.pk)],
        **{
            "milestones-TOTAL_FORMS": "1",
            "milestones-0-stage": "approval",
            "milestones-0-reached_on": "2025-03-01",
        },
    )
    response = staff_client.post(admin_url("educationbase_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    base = EducationBase.objects.get(slug="yushe-new")
    assert list(base.administrators.all()) == [admin_user]
    assert base.milestones.get().stage == ConstructionMilestone.Stage.APPROVAL
    assert base not in EducationBase.objects.public()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["educationbase", "exhibitionsection", "activity"])
def test_staff_admin_pages_open(staff_client, own_base, name):
    ExhibitionSectionFactory(base=own_base)
    assert staff_client.get(admin_url(f"{name}_changelist")).status_code == 200
    assert staff_client.get(admin_url(f"{name}_changelist"), {"q": "红色"}).status_code == 200
    obj = {
        "educationbase": own_base,
        "exhibitionsection": ExhibitionSection.objects.first(),
        "activity": own_base.activities.model.objects.first(),
    }[name]
    assert staff_client.get(admin_url(f"{name}_change", obj.pk)).status_code == 200
    if name != "activity":
        assert staff_client.get(admin_url(f"{name}_add")).status_code == 200


@pytest.mark.django_db
def test_the_changelist_runs_a_bounded_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    for _i in range(15):
        EducationBaseFactory()
    with django_assert_max_num_queries(12):
        staff_client.get(admin_url("educationbase_changelist"))


@pytest.mark.django_db
def test_base_admin_puts_an_artefact_on_display_in_their_section(base_admin_client, own_base):
    from .conftest import make_artefact

    section = ExhibitionSectionFactory(base=own_base, title="烽火家书")
    artefact = make_artefact(name="一封家书")
    url = reverse("admin:exhibitions_exhibitionsection_display", args=[section.pk])
    assert base_admin_client.get(url).status_code == 200
    response = base_admin_client.post(
        url, {"accession_number": artefact.accession_number, "on": "2024-06-01"}
    )
    assert response.status_code == 302
    display = artefact.custody_events.get(ends_on__isnull=True)
    assert (display.kind, display.section, str(display.starts_on)) == (
        "display",
        section,
        "2024-06-01",
    )
    page = base_admin_client.get(admin_url("exhibitionsection_change", section.pk))
    assert "一封家书" in page.content.decode()


@pytest.mark.django_db
def test_displaying_an_unknown_or_deaccessioned_artefact_shows_why(base_admin_client, own_base):
    from redhistory.models import CustodyEvent

    from .conftest import make_artefact

    section = ExhibitionSectionFactory(base=own_base)
    url = reverse("admin:exhibitions_exhibitionsection_display", args=[section.pk])
    response = base_admin_client.post(url, {"accession_number": "NOPE", "on": "2024-06-01"})
    assert "没有该藏品编号的物件" in response.content.decode()
    artefact = make_artefact()
    CustodyEvent.objects.create(artefact=artefact, kind="deaccession", starts_on="2023-01-01")
    response = base_admin_client.post(
        url, {"accession_number": artefact.accession_number, "on": "2024-06-01"}
    )
    assert response.status_code == 200
    assert "已注销出藏" in response.content.decode()
    assert not artefact.custody_events.filter(kind="display").exists()


@pytest.mark.django_db
def test_base_admin_cannot_display_in_another_bases_section(base_admin_client, other_base):
    from .conftest import make_artefact

    section = ExhibitionSectionFactory(base=other_base)
    artefact = make_artefact()
    url = reverse("admin:exhibitions_exhibitionsection_display", args=[section.pk])
    response = base_admin_client.post(
        url, {"accession_number": artefact.accession_number, "on": "2024-06-01"}
    )
    assert response.status_code == 404
    assert not artefact.custody_events.filter(kind="display").exists()


@pytest.mark.django_db
def test_a_manager_reads_every_base_but_changes_none(manager_client, own_base, other_base):
    response = manager_client.get(admin_url("educationbase_changelist"))
    assert set(response.context["cl"].result_list) == {own_base, other_base}
    response = manager_client.post(
        admin_url("educationbase_change", other_base.pk), {"name": "改名"}
    )
    assert response.status_code == 403
    other_base.refresh_from_db()
    assert other_base.name == "平遥县红色教育基地"


@pytest.mark.django_db
def test_a_base_admins_change_is_in_the_history_under_their_name(
    base_admin_client, base_admin, own_base
):
    data = form_data(base_admin_client.get(admin_url("educationbase_change", own_base.pk)))
    data["brand"] = "太行精神"
    base_admin_client.post(admin_url("educationbase_change", own_base.pk), data)
    latest = own_base.history.first()
    assert (latest.brand, latest.history_user) == ("太行精神", base_admin)


@pytest.mark.django_db
def test_exported_text_that_looks_like_a_formula_is_defused(own_base):
    from exhibitions.resources import EducationBaseResource

    own_base.feature = '=HYPERLINK("http://evil.example","点我")'
    own_base.brand = "-太行精神"
    own_base.save()
    dataset = EducationBaseResource().export(EducationBase.objects.filter(pk=own_base.pk))
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["特色"] == "'" + own_base.feature
    assert row["品牌"] == "'-太行精神"
    assert row["名称"] == own_base.name


@pytest.mark.django_db
def test_an_import_updates_bases_by_slug_and_refuses_bad_rows(own_base):
    import tablib

    from exhibitions.resources import EducationBaseResource

    resource = EducationBaseResource()
    headers = resource.get_export_headers()
    row = dict(zip(headers, resource.export_resource(own_base), strict=True))
    row["品牌"] = "太行精神"
    good = tablib.Dataset(list(row.values()), headers=headers)
    result = resource.import_data(good, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    own_base.refresh_from_db()
    assert own_base.brand == "太行精神"
    row[str(EducationBase._meta.get_field("open_weekdays").verbose_name)] = "189"
    bad = tablib.Dataset(list(row.values()), headers=headers)
    result = resource.import_data(bad, dry_run=False)
    assert result.has_validation_errors()
    own_base.refresh_from_db()
    assert own_base.open_weekdays == "23456"


def post_display(client, section, artefact):
    url = reverse("admin:exhibitions_exhibitionsection_display", args=[section.pk])
    return client.post(url, {"accession_number": artefact.accession_number, "on": "2024-06-01"})


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["other_base", "loan"])
def test_base_admin_cannot_take_an_artefact_from_another_base_or_a_loan(
    base_admin_client, own_base, other_base, where
):
    from redhistory.models import CustodyEvent

    from .conftest import display, make_artefact

    artefact = make_artefact()
    if where == "other_base":
        display(artefact, other_base)
    else:
        CustodyEvent.objects.filter(artefact=artefact).update(ends_on="2022-01-01")
        CustodyEvent.objects.create(
            artefact=artefact, kind="loan_out", starts_on="2022-01-01", location="省博物馆"
        )
    before = list(artefact.custody_events.order_by("pk").values())
    response = post_display(base_admin_client, ExhibitionSectionFactory(base=own_base), artefact)
    assert response.status_code == 200
    assert "只能布展库房中或您所管理基地的物件" in response.content.decode()
    assert list(artefact.custody_events.order_by("pk").values()) == before


@pytest.mark.django_db
def test_base_admin_moves_an_artefact_between_their_own_bases(base_admin, client, own_base):
    from .conftest import display, make_artefact

    second = EducationBaseFactory(slug="second-own", name="榆社县红色教育基地")
    second.administrators.add(base_admin)
    artefact = make_artefact()
    display(artefact, second)
    client.force_login(base_admin)
    response = post_display(client, ExhibitionSectionFactory(base=own_base), artefact)
    assert response.status_code == 302
    assert artefact.custody_events.get(ends_on__isnull=True).base == own_base


@pytest.mark.django_db
def test_staff_may_move_an_artefact_from_any_base(staff_client, own_base, other_base):
    from .conftest import display, make_artefact

    artefact = make_artefact()
    display(artefact, other_base)
    response = post_display(staff_client, ExhibitionSectionFactory(base=own_base), artefact)
    assert response.status_code == 302
    assert artefact.custody_events.get(ends_on__isnull=True).base == own_base
