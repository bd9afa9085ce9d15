"""Registry pages under /orgs/ (namespace "orgs"). Organizations are addressed by their uid.

The uid converter accepts letters and digits but not the words of the sibling routes (``new/``,
``export/`` and ``import/``, the last mounted after these), so that they are never taken for a uid.
"""

from django.urls import path, register_converter

from . import views


class UidConverter:
    regex = "(?!(?:new|export|import)/)[0-9A-Za-z]{1,32}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(UidConverter, "uid")

urlpatterns = [
    path("", views.org_list, name="list"),
    path("new/", views.create, name="create"),
    path("export/", views.export, name="export"),
    path("<uid:uid>/", views.detail, name="detail"),
    path("<uid:uid>/edit/", views.edit, name="edit"),
    path("<uid:uid>/status/", views.change_status, name="status"),
    path("<uid:uid>/register/", views.register, name="register"),
]
