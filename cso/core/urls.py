from django.urls import path

from . import views, views_jobs

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("lookup/", views.lookup, name="lookup"),
    path("jobs/", views_jobs.job_list, name="jobs"),
    path("jobs/<int:job>/", views_jobs.job_detail, name="job"),
    path("jobs/<int:job>/progress/", views_jobs.job_progress, name="job_progress"),
    path("jobs/<int:job>/download/", views_jobs.job_download, name="job_download"),
]
