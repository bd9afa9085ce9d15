from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("places/", views.place_list, name="places"),
    path("places/new/", views.place_edit, name="place_new"),
    path("places/<int:place_id>/", views.place_detail, name="place"),
    path("places/<int:place_id>/edit/", views.place_edit, name="place_edit"),
    path("places/<int:place_id>/photos/", views.photo_add, name="photo_add"),
    path("places/<int:place_id>/photos/<int:photo>/", views.photo, name="photo"),
    path("places/<int:place_id>/photos/<int:photo>/remove/", views.photo_remove, name="photo_remove"),
    path("places/<int:place_id>/rooms/", views.room_add, name="room_add"),
    path("targets/", views.targets, name="targets"),
    path("intakes/", views.intake_list, name="intakes"),
    path("intakes/apply/", views.intake_apply, name="intake_apply"),
    path("intakes/place/", views.intake_place, name="intake_place"),
    path("intakes/<int:intake_id>/", views.intake_detail, name="intake"),
    path("intakes/<int:intake_id>/decide/", views.intake_decide, name="intake_decide"),
    path("intakes/<int:intake_id>/milestones/", views.milestone_add, name="milestone_add"),
    path("intakes/<int:intake_id>/milestones/<int:milestone>/done/", views.milestone_done, name="milestone_done"),
    path("intakes/<int:intake_id>/services/", views.service_add, name="service_add"),
    path("intakes/<int:intake_id>/withdraw/", views.intake_withdraw, name="intake_withdraw"),
    path("intakes/<int:intake_id>/finish/", views.intake_finish, name="intake_finish"),
    path("intakes/<int:intake_id>/graduate/", views.intake_graduate, name="intake_graduate"),
    path("rooms/<int:room>/book/", views.room_book, name="book"),
    path("bookings/", views.booking_list, name="bookings"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:booking_id>/use/", views.booking_use, name="booking_use"),
]
