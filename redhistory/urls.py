from django.urls import path

from . import views

app_name = "redhistory"

urlpatterns = [
    path("artefacts/<str:accession_number>/", views.artefact_detail, name="artefact-detail"),
    path("oral-histories/<int:pk>/", views.oralhistory_detail, name="oralhistory-detail"),
]
