from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("preferences/", views.preferences, name="preferences"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("<int:notification>/", views.open_notification, name="open"),
    path("<int:notification>/read/", views.mark_read, name="read"),
]
