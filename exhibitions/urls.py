from django.urls import path

from . import views

app_name = "exhibitions"

urlpatterns = [
    path("", views.base_list, name="base-list"),
    path("<slug:slug>/", views.base_detail, name="base-detail"),
    path(
        "milestone-documents/<path:name>",
        views.milestone_document,
        name="milestone-document",
    ),
]
