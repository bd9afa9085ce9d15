from django.urls import path  # noqa: F401  (each part of supervision adds its pages below)

app_name = "supervision"

urlpatterns: list = []
