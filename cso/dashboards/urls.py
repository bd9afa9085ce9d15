from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("data/gaps/", views.chart_data, {"chart": "gaps"}, name="data_gaps"),
    path("data/composition/", views.chart_data, {"chart": "composition"}, name="data_composition"),
    path("data/trend/", views.chart_data, {"chart": "trend"}, name="data_trend"),
]
