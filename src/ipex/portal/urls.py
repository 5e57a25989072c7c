"""The home page, the newsroom, the public news and event pages (the root ``ipex.urls``)."""

from django.urls import path

from ipex.core.routing import api_routes
from ipex.portal import api, data_views, event_views, news_views, views
from ipex.portal.feeds import NewsFeed

api_urlpatterns = api_routes(
    ("news", api.NewsItemViewSet, "api-news"),
    ("events", api.EventViewSet, "api-event"),
)

DATA = "public/data/<slug:dataset>/<int:year>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public_home, name="public-home"),
    # The public pages most read come first: each request tries the patterns in order.
    path("news/", news_views.news_index, name="news"),
    path("news/<str:language>/", news_views.news_list, name="news-list"),
    path("news/<str:language>/feed.atom", NewsFeed(), name="news-feed"),
    path("news/<str:language>/<uuid:group>/", news_views.news_item, name="news-item"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("public/search/", views.search, name="public-search"),
    path("public/data/", data_views.catalogue, name="open-data"),
    path("public/data/catalog.jsonld", data_views.dcat_catalogue, name="open-data-catalog"),
    path(DATA + "<str:file>", data_views.data_file, name="open-data-latest"),
    path(DATA + "v<int:number>/", data_views.version_page, name="open-data-version"),
    path(DATA + "v<int:number>/<str:file>", data_views.data_file, name="open-data-file"),
    path("newsroom/", news_views.NewsroomView.as_view(), name="newsroom"),
    path("newsroom/new/", news_views.news_draft_page, name="newsroom-draft"),
    path("newsroom/<uuid:uuid>/", news_views.newsroom_item, name="newsroom-item"),
    path("newsroom/<uuid:uuid>/edit/", news_views.newsroom_edit, name="newsroom-edit"),
    path(
        "newsroom/<uuid:uuid>/<slug:action>/",
        news_views.newsroom_action,
        name="newsroom-action",
    ),
    path("newsroom/events/new/", event_views.event_create_page, name="newsroom-event-create"),
    path("newsroom/events/<uuid:uuid>/", event_views.newsroom_event, name="newsroom-event"),
    path(
        "newsroom/events/<uuid:uuid>/publish/",
        event_views.newsroom_event_publish,
        name="newsroom-event-publish",
    ),
    path("events/", event_views.event_list, name="event-list"),
    path("events/calendar.ics", event_views.event_calendar, name="event-calendar"),
    path("events/<uuid:uuid>/", event_views.event_detail, name="event-detail"),
]
