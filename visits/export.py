"""The visitor statistics as an Excel workbook, through core's neutralising workbook writer."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.workbook import Column, ReportWorkbook, fitted_widths


def write_statistics(path, stats, tables):
    """Writes `stats` (selectors.Statistics) to `path`: one sheet, a titled table per way the
    page totals them (`tables`: (title, rows, name) as the page lists them)."""
    count_columns = [
        Column(_("visiting groups"), "int"),
        Column(pgettext("visit statistics", "visitors"), "int"),
    ]
    blocks = [
        ([Column(str(title)), *count_columns], [(str(r.label), r.visits, r.visitors) for r in rows])
        for title, rows, _name in tables
    ]
    kind_columns = [
        Column(_("kind of base")),
        *[Column(str(label), "int") for label in stats.category_labels()],
        Column(_("total"), "int"),
    ]
    kind_rows = [(str(row["label"]), *row["cells"], row["total"]) for row in stats.kind_category]
    widths = fitted_widths([(kind_columns, kind_rows), *blocks])
    with ReportWorkbook(path) as book:
        sheet = book.sheet(_("Visitor statistics"), widths=widths)
        sheet.title(
            _("Visitor statistics, %(first)s to %(last)s")
            % {"first": stats.first_day.isoformat(), "last": stats.last_day.isoformat()}
        )
        sheet.note(
            _("%(visitors)s visitors in %(visits)s visiting groups")
            % {"visitors": stats.visitors, "visits": stats.visits}
        )
        sheet.blank()
        sheet.table(
            kind_columns, kind_rows, caption=_("Visitors by kind of base and visitor category")
        )
        for (columns, rows), (title, _rows, _name) in zip(blocks, tables, strict=True):
            sheet.blank()
            sheet.table(columns, rows, caption=str(title), totals_label=_("total"))
