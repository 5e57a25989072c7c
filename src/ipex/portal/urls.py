"""The home page, included by the root ``ipex.urls``."""

from django.urls import path

from ipex.portal import views

urlpatterns = [
    path("", views.home, name="home"),
]
