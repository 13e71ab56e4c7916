"""The member import writes in bulk: a batch of rows costs a few queries whatever its size, and
every guarantee of the row-by-row import still holds (history, entry events, all or nothing,
the public pages' cache)."""

import datetime
import re

import pytest
import tablib
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.idnumbers import make_id_number
from members.models import Member, MemberEvent
from members.resources import MemberResource
from ops import cache as portal_cache
from tests.factories.members import MemberFactory
from tests.members.test_import import HEADERS, good_rows, import_file, preview

REASON = "从表格导入"


def roster_rows(count, start=0, organisation="局机关支部"):
    """`count` valid rows, each a different person: member `start + i` is born on day
    `start + i` after 1 January 1940, so the ID numbers never repeat."""
    rows = []
    for i in range(start, start + count):
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=i)
        male = i % 2 == 0
        joined = born.replace(year=born.year + 25)
        rows.append(
            [i + 1, f"批量党员{i:04d}", "男" if male else "女", "汉族", born.isoformat(),
             make_id_number("140702", born, 120 + (1 if male else 0)), "大专",
             joined.isoformat(), joined.replace(year=joined.year + 1).isoformat(), "正式党员",
             "", "退休", organisation, "", ""]
        )  # fmt: skip
    return rows


def dataset(rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def run_import(rows, user, dry_run=False):
    return MemberResource(user=user).import_data(
        dataset(rows),
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
    )


def queries_of_import(rows, user):
    user = type(user).objects.get(pk=user.pk)  # as in a request: permissions not yet cached
    with CaptureQueriesContext(connection) as captured:
        result = run_import(rows, user)
    assert not result.has_errors() and not result.has_validation_errors(), [
        row.error_dict for row in result.invalid_rows
    ]
    return len(captured)


@pytest.fixture
def branches(own_branch, other_branch):
    return own_branch, other_branch


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 10 rows, so that a test of a few dozen rows writes several."""
    monkeypatch.setattr(MemberResource._meta, "batch_size", 10)
    return 10


@pytest.mark.django_db
def test_importing_three_times_the_rows_costs_no_more_queries(bureau_staff, branches):
    # Few rows: SQLite splits an INSERT at 999 parameters (31 history rows), PostgreSQL does not.
    small = queries_of_import(roster_rows(8), bureau_staff)
    assert queries_of_import(roster_rows(24, start=8), bureau_staff) == small
    # The same members again, edited: updates, one batch each too.
    edited = [row[:10] + ["晋中市财政局 退休干部"] + row[11:] for row in roster_rows(32)]
    small = queries_of_import(edited[:8], bureau_staff)
    assert queries_of_import(edited[8:], bureau_staff) == small
    assert Member.objects.filter(former_unit_post="晋中市财政局 退休干部").count() == 32
    # And once more unchanged: nothing written, still the same queries whatever the rows.
    assert queries_of_import(edited[8:], bureau_staff) == queries_of_import(
        edited[:8], bureau_staff
    )


@pytest.mark.django_db
def test_queries_grow_only_with_the_number_of_batches(bureau_staff, branches, small_batches):
    one_batch = queries_of_import(roster_rows(10), bureau_staff)
    two_batches = queries_of_import(roster_rows(20, start=100), bureau_staff)
    six_batches = queries_of_import(roster_rows(60, start=200), bureau_staff)
    per_batch = two_batches - one_batch
    # the service's scope check, the members, their history rows and their events, in a
    # savepoint of the batch's own
    assert 0 < per_batch <= 8
    assert six_batches == two_batches + 4 * per_batch


@pytest.mark.django_db
def test_every_new_member_gets_history_and_entry_events_recorded_by_the_importer(
    bureau_staff, branches, small_batches
):
    rows = roster_rows(25)
    rows[3][8], rows[3][9] = "", "预备党员"  # a probationary member: joined, not confirmed
    result = run_import(rows, bureau_staff)
    assert result.totals["new"] == 25
    members = Member.objects.filter(name__startswith="批量党员")
    assert members.count() == 25
    history = Member.history.filter(id_number__in=members.values("id_number"))
    assert history.count() == 25
    assert set(history.values_list("history_type", "history_user", "history_change_reason")) == {
        ("+", bureau_staff.pk, REASON)
    }
    joined = MemberEvent.objects.filter(kind=MemberEvent.Kind.JOINED)
    assert joined.count() == 25
    assert set(joined.values_list("recorded_by", "note")) == {(bureau_staff.pk, REASON)}
    for member in members.prefetch_related("events"):
        (entry, *confirmed) = sorted(member.events.all(), key=lambda e: e.kind != "joined")
        assert entry.occurred_on == member.joined_on
        assert entry.to_organisation_id == member.organisation_id
        if member.confirmed_on:
            assert [(e.kind, e.occurred_on) for e in confirmed] == [
                (MemberEvent.Kind.CONFIRMED, member.confirmed_on)
            ]
        else:
            assert member.category == Member.Category.PROBATIONARY and confirmed == []
    assert MemberEvent.objects.filter(kind=MemberEvent.Kind.CONFIRMED).count() == 24


@pytest.mark.django_db
def test_an_edited_file_writes_an_update_history_row_and_no_event(
    bureau_staff, branches, small_batches
):
    run_import(roster_rows(15), bureau_staff)
    events = MemberEvent.objects.count()
    rows = roster_rows(15)
    for row in rows[:12]:
        row[13] = "0354-3331234"
    with CaptureQueriesContext(connection) as captured:
        result = run_import(rows, bureau_staff)
    assert (result.totals["update"], result.totals["skip"], result.totals["new"]) == (12, 3, 0)
    # Only the changed column is written (an UPDATE a batch), not every column of the row.
    statements = [q["sql"] for q in captured if q["sql"].startswith("UPDATE")]
    assert len(statements) == 2
    assert all(
        re.match(r'UPDATE "members_member" SET "phone" = \(?CASE ', sql) for sql in statements
    )
    assert not any('"name"' in sql for sql in statements)
    assert Member.objects.filter(phone="0354-3331234").count() == 12
    updates = Member.history.filter(history_type="~")
    assert updates.count() == 12
    assert set(updates.values_list("history_user", "history_change_reason", "phone")) == {
        (bureau_staff.pk, REASON, "0354-3331234")
    }
    assert MemberEvent.objects.count() == events


@pytest.mark.django_db
def test_the_preview_counts_new_updated_and_skipped_rows_and_writes_nothing(
    bureau_staff, branches, small_batches
):
    run_import(roster_rows(12), bureau_staff)
    before = (Member.objects.count(), Member.history.count(), MemberEvent.objects.count())
    rows = roster_rows(30)
    rows[0][13] = "13900000000"
    result = run_import(rows, bureau_staff, dry_run=True)
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (18, 1, 11)
    updated = next(row for row in result.rows if row.import_type == "update")
    assert "13900000000" in "".join(updated.diff)
    assert (Member.objects.count(), Member.history.count(), MemberEvent.objects.count()) == before


@pytest.mark.django_db
def test_a_bad_row_after_a_written_batch_rolls_the_batch_back(
    bureau_staff, branches, small_batches
):
    rows = roster_rows(25)
    rows[22][12] = "不存在的支部"
    result = run_import(rows, bureau_staff)
    assert [row.number for row in result.invalid_rows] == [23]
    assert not Member.objects.exists()
    assert not Member.history.exists()
    assert not MemberEvent.objects.exists()


@pytest.mark.django_db
def test_a_database_error_in_a_batch_writes_nothing(
    bureau_staff, branches, own_member, monkeypatch
):
    # Someone else registered a member of the file between the file's reading and its writing:
    # the unique constraint, not the resource, refuses the row.
    monkeypatch.setattr(
        "import_export.instance_loaders.CachedInstanceLoader.get_instance", lambda self, row: None
    )
    rows = roster_rows(3)
    rows[1][2], rows[1][4], rows[1][5] = "男", "1938-05-17", own_member.id_number
    result = run_import(rows, bureau_staff)
    assert result.has_errors()
    assert "导入期间" in str(result.base_errors[0].error)
    assert "unique" in str(result.base_errors[0].error.__cause__).lower()
    assert list(Member.objects.all()) == [own_member]
    assert not MemberEvent.objects.exclude(member=own_member).exists()


@pytest.mark.django_db
def test_a_member_who_left_is_refused_and_a_change_of_category_too(bureau_staff, branches):
    run_import(good_rows()[:2], bureau_staff)
    Member.objects.filter(name="钱玉兰").update(status=Member.Status.DECEASED)
    rows = good_rows()[:2]
    rows[0][9] = "预备党员"
    rows[0][8] = ""
    rows[1][13] = "0354-3331234"
    result = run_import(rows, bureau_staff)
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert "登记党籍变动" in errors[1]["人员类别"][0]
    assert errors[2]["__all__"] == ["该党员已不在册，不能通过导入修改。"]
    assert not Member.objects.filter(phone="0354-3331234").exists()
    assert Member.objects.get(name="赵振华").category == Member.Category.FULL


@pytest.mark.django_db
def test_a_secretary_cannot_update_a_member_of_another_branch_in_a_large_file(
    secretary, branches, other_member, small_batches
):
    rows = roster_rows(24)
    rows.append(
        [25, "李秀英", "女", "汉族", "1941-03-02", other_member.id_number, "", "1966-03-02",
         "1967-03-02", "正式党员", "新单位", "退休", "局机关支部", "", ""]
    )  # fmt: skip
    result = run_import(rows, secretary)
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert list(errors) == [25] and "所在党支部" in errors[25]
    assert not Member.objects.exclude(pk=other_member.pk).exists()
    other_member.refresh_from_db()
    assert other_member.former_unit_post != "新单位"


@pytest.mark.django_db
def test_an_import_makes_the_cached_public_pages_stale_once_it_is_committed(
    bureau_staff, branches, django_capture_on_commit_callbacks
):
    generation = portal_cache.generations(["members"])["members"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_import(roster_rows(5), bureau_staff, dry_run=True)
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_import(roster_rows(5), bureau_staff)
    assert len(callbacks) == 1
    assert portal_cache.generations(["members"])["members"] != generation
    generation = portal_cache.generations(["members"])["members"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_import(roster_rows(5), bureau_staff)  # the same file again: nothing written
    assert callbacks == []
    assert portal_cache.generations(["members"])["members"] == generation


@pytest.mark.django_db
def test_the_admin_import_logs_each_new_member_under_its_id(staff_client, bureau_staff, branches):
    response = preview(staff_client, roster_rows(30))
    totals = response.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (30, 0, 0)
    assert not Member.objects.exists()
    response = import_file(staff_client, roster_rows(30))
    assert response.status_code == 302
    members = set(Member.objects.values_list("pk", flat=True))
    assert len(members) == 30
    entries = LogEntry.objects.filter(action_flag=ADDITION, user=bureau_staff)
    assert {int(pk) for pk in entries.values_list("object_id", flat=True)} == members
    assert Member.history.filter(history_user=bureau_staff).count() == 30


@pytest.mark.django_db
def test_a_file_naming_members_already_registered_updates_them_without_new_ones(
    bureau_staff, branches
):
    existing = MemberFactory.create_batch(5, organisation=branches[0])
    rows = [
        [i + 1, m.name, "男" if m.gender == "M" else "女", "汉族", m.birth_date.isoformat(),
         m.id_number, "", m.joined_on.isoformat(), m.confirmed_on.isoformat(), "正式党员",
         "新的单位", "退休", "局机关支部", "", ""]
        for i, m in enumerate(existing)
    ]  # fmt: skip
    result = run_import(rows, bureau_staff)
    assert result.totals["update"] == 5 and result.totals["new"] == 0
    assert Member.objects.count() == 5
    assert Member.objects.filter(former_unit_post="新的单位").count() == 5
