from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("book/", views.booking_start, name="booking-start"),
    path("book/<slug:slug>/", views.booking_create, name="booking-create"),
    path("booking/received/", views.booking_done, name="booking-done"),
    path("booking/", views.booking_lookup, name="booking-lookup"),
    path("booking/cancel/", views.booking_visitor_cancel, name="booking-cancel"),
    path("check-in/<slug:slug>/<str:signature>/", views.check_in, name="check-in"),
    path("poster/<slug:slug>/", views.poster, name="poster"),
    path("poster/<slug:slug>/qr.svg", views.poster_image, {"kind": "svg"}, name="poster-svg"),
    path("poster/<slug:slug>/qr.png", views.poster_image, {"kind": "png"}, name="poster-png"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.xlsx", views.statistics_export, name="statistics-export"),
    path("day-sheet/", views.day_sheet, name="day-sheet"),
    path("statistics/public/", views.public_statistics, name="public-statistics"),
]
