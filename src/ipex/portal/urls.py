"""The home page, the newsroom, the public news and event pages (the root ``ipex.urls``)."""

from django.urls import path

from ipex.portal import event_views, news_views, views
from ipex.portal.feeds import NewsFeed

urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public_home, name="public-home"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
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
    path("news/", news_views.news_index, name="news"),
    path("news/<str:language>/", news_views.news_list, name="news-list"),
    path("news/<str:language>/feed.atom", NewsFeed(), name="news-feed"),
    path("news/<str:language>/<uuid:group>/", news_views.news_item, name="news-item"),
]
