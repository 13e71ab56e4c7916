from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EducationBase


@admin.register(EducationBase)
class EducationBaseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "county", "bookings_open"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)
