from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from core.widgets import IntegerWidget, PortalResource

from .models import EducationBase


class EducationBaseResource(PortalResource):
    """Bases in a spreadsheet, keyed on the slug; Chinese headers as the bureau writes them."""

    slug = fields.Field(attribute="slug", column_name=_("slug"))
    name = fields.Field(attribute="name", column_name=_("name"))
    kind = fields.Field(attribute="kind", column_name=_("kind"))
    county = fields.Field(attribute="county", column_name=_("county"))
    address = fields.Field(attribute="address", column_name=_("address"))
    latitude = fields.Field(
        attribute="latitude", column_name=_("latitude"), widget=widgets.DecimalWidget()
    )
    longitude = fields.Field(
        attribute="longitude", column_name=_("longitude"), widget=widgets.DecimalWidget()
    )
    feature = fields.Field(attribute="feature", column_name=_("feature"))
    brand = fields.Field(attribute="brand", column_name=_("brand"))
    contact = fields.Field(attribute="contact", column_name=_("public contact"))
    open_weekdays = fields.Field(attribute="open_weekdays", column_name=_("open weekdays"))
    opening_hours = fields.Field(attribute="opening_hours", column_name=_("opening hours"))
    capacity_per_slot = fields.Field(
        attribute="capacity_per_slot",
        column_name=_("capacity per visit slot"),
        widget=IntegerWidget(),
    )

    class Meta:
        model = EducationBase
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "kind",
            "county",
            "address",
            "latitude",
            "longitude",
            "feature",
            "brand",
            "contact",
            "open_weekdays",
            "opening_hours",
            "capacity_per_slot",
        ]
        clean_model_instances = True
        skip_unchanged = True
