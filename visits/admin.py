from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from exhibitions.models import EducationBase

from .models import Visit


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["visited_on", "base", "group_name", "category", "headcount", "source"]
    list_select_related = ["base"]
    date_hierarchy = "visited_on"
    show_full_result_count = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(base__in=EducationBase.objects.for_user(request.user))
