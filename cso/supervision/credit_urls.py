"""URLs of the credit lists and enforcement (included by ``cso.supervision.urls``)."""

from django.urls import path

from . import views_credit, views_enforcement

urlpatterns = [
    path("credit/", views_credit.entries, name="credit_entries"),
    path("credit/run/", views_credit.run, name="credit_run"),
    path("credit/public/", views_credit.public_lists, name="credit_public"),
    path("credit/org/<str:uid>/", views_credit.org_credit, name="credit_org"),
    path("credit/org/<str:uid>/events/", views_credit.record_event, name="credit_record"),
    path("credit/entries/<int:entry>/decide/", views_credit.decide, name="credit_decide"),
    path("credit/entries/<int:entry>/objection/", views_credit.object_entry, name="credit_object"),
    path("credit/objections/<int:objection>/answer/", views_credit.answer, name="credit_answer"),
    path("enforcement/", views_enforcement.cases, name="enforcement_cases"),
    path("enforcement/org/<str:uid>/new/", views_enforcement.open_case, name="enforcement_open"),
    path("enforcement/<int:case>/", views_enforcement.case_detail, name="enforcement_case"),
    path("enforcement/<int:case>/decide/", views_enforcement.decide, name="enforcement_decide"),
]
