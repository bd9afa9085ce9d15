"""The REST API (django-ninja), one router per app, all behind the same division scoping."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from cso.api import api

patterns, _ninja_app_name, namespace = api.urls
# The API authenticates each call itself and answers 401; the site-wide redirect to the login
# page (LoginRequiredMiddleware) must not intercept it.
for pattern in patterns:
    pattern.callback = login_not_required(pattern.callback)

urlpatterns = [path("", include((patterns, "api"), namespace=namespace))]
