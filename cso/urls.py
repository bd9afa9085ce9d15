from django.contrib import admin
from django.urls import include, path

from cso.core import views as core_views

urlpatterns = [
    path("", include("cso.core.urls")),
    path("accounts/", include("cso.accounts.urls")),
    path("divisions/", include("cso.regions.urls")),
    path("orgs/", include("cso.orgs.urls")),
    path("applications/", include("cso.applications.urls")),
    path("stats/", include("cso.stats.urls")),
    path("reports/", include("cso.reports.urls")),
    path("dashboards/", include("cso.dashboards.urls")),
    path("notifications/", include("cso.notices.urls")),
    path("progress/", include("cso.applications.progress_urls")),
    path("my/", include("cso.portal.urls")),
    path("supervision/", include("cso.supervision.urls")),
    path("support/", include("cso.support.urls")),
    path("funding/", include("cso.funding.urls")),
    path("api/", include("cso.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
