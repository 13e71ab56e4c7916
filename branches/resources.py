"""Excel export of meetings; the admin's scoping (get_queryset) carries over to the export."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from core.widgets import PortalResource

from .models import Meeting


class MeetingResource(PortalResource):
    """Meetings with their attendance figures, one row each; export only."""

    organisation = fields.Field(attribute="organisation__name", column_name=_("Party organisation"))
    kind = fields.Field(attribute="get_kind_display", column_name=_("kind"))
    held_on = fields.Field(attribute="held_on", column_name=_("held on"))
    topic = fields.Field(attribute="topic", column_name=_("topic"))
    place = fields.Field(attribute="place", column_name=_("place"))
    base = fields.Field(attribute="base__name", column_name=_("education base"))
    present = fields.Field(attribute="present_total", column_name=_("present"))
    expected = fields.Field(attribute="expected_total", column_name=_("expected to attend"))

    class Meta:
        model = Meeting
        fields = [
            "organisation",
            "kind",
            "held_on",
            "topic",
            "place",
            "base",
            "present",
            "expected",
        ]
