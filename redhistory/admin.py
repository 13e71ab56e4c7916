from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Artefact, OralHistory, Veteran


@admin.register(Veteran)
class VeteranAdmin(SimpleHistoryAdmin):
    list_display = ["name", "gender", "birth_year", "county"]
    search_fields = ["name"]


@admin.register(Artefact)
class ArtefactAdmin(SimpleHistoryAdmin):
    list_display = ["accession_number", "name", "category", "war", "donor"]
    list_select_related = ["donor"]
    search_fields = ["accession_number", "name"]


@admin.register(OralHistory)
class OralHistoryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "narrator", "recorded_on", "status"]
    list_select_related = ["narrator"]
    search_fields = ["title", "narrator__name"]
