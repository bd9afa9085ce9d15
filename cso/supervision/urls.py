from django.urls import path

from . import views_annual

app_name = "supervision"

urlpatterns: list = [
    # 年检年报 (annual reports)
    path("annual/", views_annual.mine, name="annual_mine"),
    path("annual/start/", views_annual.start, name="annual_start"),
    path("annual/review/", views_annual.queue, name="annual_queue"),
    path("annual/lists/", views_annual.lists, name="annual_lists"),
    path("annual/<int:annual>/", views_annual.detail, name="annual_detail"),
    path("annual/<int:annual>/edit/", views_annual.edit, name="annual_edit"),
    path("annual/<int:annual>/review/", views_annual.review, name="annual_review"),
    path("annual/<int:annual>/attachments/upload/", views_annual.upload, name="annual_upload"),
    path("annual/<int:annual>/attachments/<int:annual_attachment>/", views_annual.download,
         name="annual_attachment"),
    path("annual/<int:annual>/attachments/<int:annual_attachment>/remove/", views_annual.remove,
         name="annual_attachment_remove"),
]

from .credit_urls import urlpatterns as credit_urlpatterns  # noqa: E402  (credit lists, enforcement)

urlpatterns += credit_urlpatterns
