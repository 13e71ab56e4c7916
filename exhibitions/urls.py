from django.urls import path

from . import views

app_name = "exhibitions"

urlpatterns = [
    path("<slug:slug>/", views.base_detail, name="base-detail"),
]
