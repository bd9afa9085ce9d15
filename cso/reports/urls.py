from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("overview/", views.overview, name="overview"),
    path("overview/export/", views.overview_export, name="overview_export"),
    path("rounds/", views.rounds, name="rounds"),
    path("columns/", views.columns, name="columns"),
    path("county/<str:code>/", views.county, name="county"),
    path("county/<str:code>/generate/", views.generate, name="generate"),
    path("county/<str:code>/chase/", views.chase, name="chase"),
    path("<int:report>/", views.detail, name="detail"),
    path("<int:report>/export/", views.export, name="export"),
    path("<int:report>/regenerate/", views.regenerate, name="regenerate"),
    path("<int:report>/submit/", views.submit, name="submit"),
    path("<int:report>/accept/", views.accept, name="accept"),
    path("<int:report>/return/", views.return_table, name="return"),
    path("<int:report>/correct/", views.correct, name="correct"),
]
