from django.urls import path

from . import progress

app_name = "progress"

urlpatterns = [
    path("", progress.lookup, name="lookup"),
]
