"""Registry pages under /orgs/ (namespace "orgs"). Organizations are addressed by their uid.

The uid converter accepts letters and digits but not the words of the sibling routes (``new/``,
``export/``, ``import/``, ``rules/`` and ``bases/``; ``import/`` is mounted after these), so that they are
never taken for a uid.
"""

from django.urls import path, register_converter

from . import views, views_categorise, views_hubs, views_invitations, views_manage


class UidConverter:
    regex = "(?!(?:new|export|import|rules|bases)/)[0-9A-Za-z]{1,32}"

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
    path("<uid:uid>/correct/", views.correct, name="correct"),
    path("<uid:uid>/advise/", views.advise, name="advise"),
    path("<uid:uid>/categorise/", views_categorise.categorise, name="categorise"),
    path("<uid:uid>/members/", views_manage.members, name="members"),
    path("<uid:uid>/links/", views_manage.org_links, name="links"),
    path("bases/<int:base>/links/", views_manage.base_links, name="base_links"),
    path("rules/", views_manage.registry_rules, name="rules"),
    path("<uid:uid>/members/invite/", views_hubs.invite, name="invite_member"),
    path("hub-invitations/", views_hubs.invitations, name="hub_invitations"),
    path("memberships/<int:membership>/leave/", views_hubs.leave, name="leave_hub"),
    path("<uid:uid>/invite/", views_invitations.invite, name="invite"),
    path("account-invitations/", views_invitations.invitation_list, name="invitations_list"),
    path("account-invitations/<int:pk>/revoke/", views_invitations.invitation_revoke, name="invitation_revoke"),
    path("account-invitations/accept/<str:token>/", views_invitations.invitation_accept, name="invitation_accept"),
]
