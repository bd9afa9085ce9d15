"""Registry pages under /orgs/ (namespace "orgs"). Organizations are addressed by their uid.

The uid converter accepts only upper-case letters and digits (every uid is "ZZ" + year + base 32),
so that the lower-case sibling routes (``import/``, mounted after these) are not taken for a uid.
"""

from django.urls import path, register_converter

from . import views


class UidConverter:
    regex = "[0-9A-Z]{1,20}"

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
