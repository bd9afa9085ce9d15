from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("communities/", views.communities, name="communities"),
    path("changes/", views.changes, name="changes"),
    path("bases/", views.bases, name="bases"),
    path("targets/", views.targets, name="targets"),
    path("rollup/<int:rollup>/", views.rollup_status, name="rollup"),
]
