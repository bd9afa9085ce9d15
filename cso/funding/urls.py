from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/apply/", views.apply, name="apply"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("guidance/", views.guidance_public, name="guidance"),
    path("guidance/manage/", views.guidance_manage, name="guidance_manage"),
    path("guidance/<int:pk>/publish/", views.guidance_publish, name="guidance_publish"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/reviewers/", views.reviewer_add, name="reviewer_add"),
    path("programmes/<int:pk>/<str:move>/", views.programme_move, name="programme_move"),
    path("mine/", views.mine, name="mine"),
    path("reviews/", views.reviews, name="reviews"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/score/", views.application_score, name="score"),
    path("applications/<int:pk>/conflict/", views.application_conflict, name="conflict"),
    path("applications/<int:pk>/<str:decision>/", views.application_decide, name="decide"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("awards/<int:pk>/", views.award_detail, name="award"),
    path("awards/<int:pk>/<str:move>/", views.award_move, name="award_move"),
    path("money/", views.money_view, name="money"),
    path("money/export/", views.money_export, name="money_export"),
    path("orgs/<str:uid>/qualifications/", views.qualification_add, name="qualification_add"),
    path("qualifications/<int:pk>/delete/", views.qualification_delete, name="qualification_delete"),
]
