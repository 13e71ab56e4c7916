from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Meeting, Organisation, Unit


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "founded_on", "abolished_on"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent", "unit", "is_retiree_branch"]
    list_select_related = ["parent", "unit"]
    search_fields = ["name", "short_name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "topic", "kind", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["topic"]
    date_hierarchy = "held_on"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(organisation__in=Organisation.objects.for_user(request.user))
