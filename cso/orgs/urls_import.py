from django.urls import path

from . import views_import

urlpatterns = [
    path("", views_import.upload, name="import"),
    path("template/", views_import.template, name="import_template"),
    path("<int:batch>/", views_import.job, name="import_job"),
    path("<int:batch>/apply/", views_import.apply, name="import_apply"),
    path("<int:batch>/progress/", views_import.progress, name="import_progress"),
]
