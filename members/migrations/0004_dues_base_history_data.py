"""Each member's dues base history, from what the register already shows: the bases their
payments were priced at, and the base on their record today.

A row from the month the member came onto the roster at the first base known, a row from each
month whose payment was priced at a new base, and a row for today's base when it differs from
the last payment's (from the month after that payment).
"""

from django.db import migrations

ENTRIES = ["joined", "transferred_in"]


def forwards(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    DuesBase = apps.get_model("members", "DuesBase")
    DuesPayment = apps.get_model("members", "DuesPayment")
    MemberEvent = apps.get_model("members", "MemberEvent")
    import datetime

    entered = {}
    for member_id, day in MemberEvent.objects.filter(kind__in=ENTRIES).order_by(
        "-occurred_on"
    ).values_list("member_id", "occurred_on"):
        entered[member_id] = day  # the earliest wins: ordered latest first
    payments = {}
    for member_id, year, month, base in DuesPayment.objects.order_by(
        "member_id", "year", "month"
    ).values_list("member_id", "year", "month", "base"):
        payments.setdefault(member_id, []).append((year, month, base))
    rows = []
    for member in Member.objects.only("pk", "joined_on", "dues_base"):
        history = payments.get(member.pk, [])
        start = entered.get(member.pk) or member.joined_on
        bases = []
        for year, month, base in history:
            if not bases or bases[-1][1] != base:
                since = datetime.date(year, month, 1) if bases else start
                bases.append((since, base))
        if member.dues_base is not None and (not bases or bases[-1][1] != member.dues_base):
            if history:
                year, month, _base = history[-1]
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
                since = max(datetime.date(year, month, 1), bases[-1][0])
            else:
                since = start
            if bases and since == bases[-1][0]:
                bases[-1] = (since, member.dues_base)
            else:
                bases.append((since, member.dues_base))
        rows += [DuesBase(member_id=member.pk, since=since, base=base) for since, base in bases]
    DuesBase.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("members", "0003_dues_base_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
