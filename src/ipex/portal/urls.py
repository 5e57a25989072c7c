"""The home page, the newsroom and the public news pages, included by the root ``ipex.urls``."""

from django.urls import path

from ipex.portal import news_views, views
from ipex.portal.feeds import NewsFeed

urlpatterns = [
    path("", views.home, name="home"),
    path("newsroom/", news_views.NewsroomView.as_view(), name="newsroom"),
    path("newsroom/new/", news_views.news_draft_page, name="newsroom-draft"),
    path("newsroom/<uuid:uuid>/", news_views.newsroom_item, name="newsroom-item"),
    path("newsroom/<uuid:uuid>/edit/", news_views.newsroom_edit, name="newsroom-edit"),
    path(
        "newsroom/<uuid:uuid>/<slug:action>/",
        news_views.newsroom_action,
        name="newsroom-action",
    ),
    path("news/", news_views.news_index, name="news"),
    path("news/<str:language>/", news_views.news_list, name="news-list"),
    path("news/<str:language>/feed.atom", NewsFeed(), name="news-feed"),
    path("news/<str:language>/<uuid:group>/", news_views.news_item, name="news-item"),
]
