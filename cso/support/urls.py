from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("places/", views.place_list, name="places"),
    path("places/new/", views.place_edit, name="place_new"),
    path("places/<int:pk>/", views.place_detail, name="place"),
    path("places/<int:pk>/edit/", views.place_edit, name="place_edit"),
    path("places/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("places/<int:pk>/photos/<int:photo>/", views.photo, name="photo"),
    path("places/<int:pk>/photos/<int:photo>/remove/", views.photo_remove, name="photo_remove"),
    path("places/<int:pk>/rooms/", views.room_add, name="room_add"),
    path("targets/", views.targets, name="targets"),
    path("intakes/", views.intake_list, name="intakes"),
    path("intakes/apply/", views.intake_apply, name="intake_apply"),
    path("intakes/place/", views.intake_place, name="intake_place"),
    path("intakes/<int:pk>/", views.intake_detail, name="intake"),
    path("intakes/<int:pk>/decide/", views.intake_decide, name="intake_decide"),
    path("intakes/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("intakes/<int:pk>/milestones/<int:milestone>/done/", views.milestone_done, name="milestone_done"),
    path("intakes/<int:pk>/services/", views.service_add, name="service_add"),
    path("intakes/<int:pk>/withdraw/", views.intake_withdraw, name="intake_withdraw"),
    path("intakes/<int:pk>/finish/", views.intake_finish, name="intake_finish"),
    path("intakes/<int:pk>/graduate/", views.intake_graduate, name="intake_graduate"),
    path("rooms/<int:room>/book/", views.room_book, name="book"),
    path("bookings/", views.booking_list, name="bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/use/", views.booking_use, name="booking_use"),
]
