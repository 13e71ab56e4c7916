from django.urls import path

from . import feeds, media, views
from .ranges import accept_ranges

app_name = "redhistory"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search_view, name="search"),
    path("oral-histories/", views.oralhistory_list, name="oralhistory-list"),
    path("oral-histories/feed/", feeds.NewOralHistoriesFeed(), name="oralhistory-feed"),
    path("oral-histories/<int:pk>/", views.oralhistory_detail, name="oralhistory-detail"),
    path(
        "oral-histories/<int:pk>/captions.vtt",
        views.oralhistory_captions,
        name="oralhistory-captions",
    ),
    path("artefacts/", views.artefact_list, name="artefact-list"),
    path("artefacts/<str:accession_number>/", views.artefact_detail, name="artefact-detail"),
    path("veterans/", views.veteran_list, name="veteran-list"),
    path("veterans/<int:pk>/", views.veteran_detail, name="veteran_detail"),
    path("films/", views.film_list, name="film-list"),
    path("films/<int:pk>/", views.film_detail, name="film-detail"),
    path("media/<path:path>", accept_ranges(media.protected_media), name="protected_media"),
]
