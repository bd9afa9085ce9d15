from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    # public: open calls, every award, the published guidance lists
    path("calls/", views.calls, name="calls"),
    path("calls/<int:programme>/", views.call_detail, name="call"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("disclosure/<int:programme>/download/", views.disclosure_download, name="disclosure_download"),
    path("guidance/", views.guidance_public, name="guidance"),
    # organizations
    path("calls/<int:programme>/apply/", views.apply, name="apply"),
    path("mine/", views.mine, name="mine"),
    # staff
    path("guidance/manage/", views.guidance_manage, name="guidance_manage"),
    path("guidance/<int:guidance>/publish/", views.guidance_publish, name="guidance_publish"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:programme>/", views.programme_detail, name="programme"),
    path("programmes/<int:programme>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:programme>/reviewers/", views.reviewer_add, name="reviewer_add"),
    path("programmes/<int:programme>/publish/", views.programme_move, {"move": "publish"}, name="publish"),
    path("programmes/<int:programme>/close/", views.programme_move, {"move": "close"}, name="close"),
    path("reviews/", views.reviews, name="reviews"),
    path("applications/<int:application>/", views.application_detail, name="application"),
    path("applications/<int:application>/score/", views.application_score, name="score"),
    path("applications/<int:application>/conflict/", views.application_conflict, name="conflict"),
    path("applications/<int:application>/award/", views.application_decide, {"decision": "award"}, name="award_it"),
    path("applications/<int:application>/reject/", views.application_decide, {"decision": "reject"}, name="reject"),
    path("applications/<int:application>/attachments/<int:attachment>/", views.attachment, name="attachment"),
    path("awards/<int:award>/", views.award_detail, name="award"),
    path("awards/<int:award>/contract/", views.award_move, {"move": "contract"}, name="contract"),
    path("awards/<int:award>/disburse/", views.award_move, {"move": "disburse"}, name="disburse"),
    path("awards/<int:award>/evaluate/", views.award_move, {"move": "evaluate"}, name="evaluate"),
    path("awards/<int:award>/archive/", views.award_move, {"move": "archive"}, name="archive"),
    path("money/", views.money_view, name="money"),
    path("money/export/", views.money_export, name="money_export"),
    path("awards/export/", views.awards_export, name="awards_export"),
    path("programmes/<int:programme>/export/", views.applications_export, name="applications_export"),
    path("orgs/<uid:uid>/qualifications/", views.qualification_add, name="qualification_add"),
    path("qualifications/<int:qualification>/delete/", views.qualification_delete, name="qualification_delete"),
]
