from django.urls import path

from . import material_views, views, views_guides

app_name = "applications"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("todo/", views.todo, name="queue"),
    path("new/", views.new, name="new"),
    path("name-check/", views.name_check, name="name_check"),
    path("guides/", views_guides.guide_list, name="guides"),
    path("guides/<str:kind>/", views_guides.guide_detail, name="guide"),
    path("guides/<str:kind>/edit/", views_guides.guide_edit, name="guide_edit"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/edit/", views.edit, name="edit"),
    path("<str:number>/submit/", views.submit, name="submit"),
    path("<str:number>/accept/", views.move("accept"), name="accept"),
    path("<str:number>/correction/", views.move("ask_correction"), name="ask_correction"),
    path("<str:number>/approve/", views.move("approve"), name="approve"),
    path("<str:number>/reject/", views.move("reject"), name="reject"),
    path("<str:number>/opinion/", views.opinion, name="opinion"),
    path("<str:number>/materials/upload/", material_views.upload, name="material_upload"),
    path("<str:number>/materials/<int:pk>/remove/", material_views.remove, name="material_remove"),
    path("<str:number>/materials/<int:pk>/", material_views.download, name="material"),
]
