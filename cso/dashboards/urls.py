from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("data/<slug:chart>/", views.chart_data, name="chart_data"),
]
