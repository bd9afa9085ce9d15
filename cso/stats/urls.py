from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("communities/", views.communities, name="communities"),
    path("targets/", views.targets, name="targets"),
]
