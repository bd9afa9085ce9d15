from django.urls import include, path

app_name = "orgs"
urlpatterns = [
    path("", include("cso.orgs.urls_registry")),
    path("import/", include("cso.orgs.urls_import")),
]
