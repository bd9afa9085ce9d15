from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("linked/", views.linked, name="linked"),
    path("orgs/<str:uid>/contact/", views.contact, name="contact"),
]
