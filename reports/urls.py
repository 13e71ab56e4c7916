from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<str:job_id>/", views.report_job, name="job"),
    path("<str:job_id>/status/", views.report_status, name="status"),
    path("<str:job_id>/download/", views.report_download, name="download"),
]
