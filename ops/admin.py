from django.contrib import admin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The access log, read-only: nobody edits or removes an entry through the UI."""

    list_display = ["at", "username", "action", "content_type", "object_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
