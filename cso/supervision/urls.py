from django.urls import path  # noqa: F401  (each part of supervision adds its pages below)

app_name = "supervision"

urlpatterns: list = []

from .credit_urls import urlpatterns as credit_urlpatterns  # noqa: E402  (credit lists, enforcement)

urlpatterns += credit_urlpatterns
