"""The dues register (党费收缴台账) as an Excel workbook, written through core.workbook."""

import tempfile
from pathlib import Path
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.workbook import Column, ReportWorkbook, fitted_widths

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dues_register_table(rows):
    """The register's columns and rows: a month's cell is what was paid, 未缴 when due and
    unpaid, empty when not on the roster or not yet due."""
    columns = [
        Column(pgettext("person", "name")),
        Column(_("Party organisation")),
        Column(_("monthly dues"), "price"),
        *(
            Column(pgettext("dues register", "%(month)d月") % {"month": m}, "money")
            for m in range(1, 13)
        ),
        Column(_("due"), "money"),
        Column(_("paid"), "money"),
        Column(_("arrears"), "money"),
    ]
    unpaid = pgettext("dues register", "unpaid")
    table = []
    for row in rows:
        months = []
        for month in range(1, 13):
            payment = row.payments.get(month)
            if payment is not None:
                months.append(payment.amount)
            elif month in row.months_due:
                months.append(unpaid)
            else:
                months.append("")
        table.append(
            [
                row.member.name,
                row.member.organisation.name,
                row.monthly,
                *months,
                row.due,
                row.paid,
                row.arrears if row.unpaid_months else 0,
            ]
        )
    return columns, table


def dues_register_workbook(rows, year, organisation):
    """An .xlsx download of the register, with its title, column sums and print settings."""
    with translation.override("zh-hans"):
        columns, table = dues_register_table(rows)
        scope = organisation.name if organisation else _("all my organisations")
        title = _("Party dues register %(year)s") % {"year": year}
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "dues.xlsx"
            with ReportWorkbook(path) as book:
                sheet = book.sheet(
                    pgettext("dues register", "register"),
                    widths=fitted_widths([(columns, table)]),
                    freeze="C4",
                    title_rows="1:3",
                )
                sheet.title(f"{title}（{scope}）")
                sheet.table(columns, table, totals_label=_("total"))
            content = path.read_bytes()
        filename = f"{title}（{scope}）.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
