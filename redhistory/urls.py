from django.urls import path

from . import media, views

app_name = "redhistory"

urlpatterns = [
    path("artefacts/<str:accession_number>/", views.artefact_detail, name="artefact-detail"),
    path("oral-histories/<int:pk>/", views.oralhistory_detail, name="oralhistory-detail"),
    path("media/<path:path>", media.protected_media, name="protected_media"),
]
