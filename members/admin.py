from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Member


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "gender", "organisation", "category", "employment", "status"]
    list_select_related = ["organisation"]
    search_fields = ["name"]
    exclude = ["id_number", "phone"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_delete_permission(self, request, obj=None):
        return False
