from django.urls import path

from . import views_annual, views_evaluation
from . import views_inspections as inspections

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

# random inspections (双随机一公开)
urlpatterns += [
    path("inspections/", inspections.plan_list, name="inspection_plans"),
    path("inspections/new/", inspections.plan_create, name="inspection_plan_new"),
    path("inspections/<int:plan>/", inspections.plan_detail, name="inspection_plan"),
    path("inspections/<int:plan>/draw/", inspections.plan_draw, name="inspection_draw"),
    path("inspections/<int:plan>/publish/", inspections.plan_publish, name="inspection_publish"),
    path("inspections/<int:plan>/publish-results/", inspections.plan_publish_results,
         name="inspection_publish_results"),
    path("inspections/<int:plan>/close/", inspections.plan_close, name="inspection_close"),
    path("inspections/public/<int:plan>/", inspections.plan_public, name="inspection_public"),
    path("inspections/targets/<int:target>/", inspections.target_detail, name="inspection_target"),
    path("inspections/targets/<int:target>/notice/", inspections.target_notice, name="inspection_notice"),
    path("inspections/inspectors/", inspections.inspector_list, name="inspectors"),
    path("inspections/inspectors/<int:inspector>/active/", inspections.inspector_active, name="inspector_active"),
    path("inspections/inspectors/<int:inspector>/conflicts/", inspections.inspector_conflicts,
         name="inspector_conflicts"),
    path("inspections/conflicts/", inspections.my_conflicts, name="my_conflicts"),
    path("evaluation/public/", views_evaluation.public_grades, name="evaluation_public"),
]

# 等级评估 (grade evaluation)
urlpatterns += [
    path("evaluation/", views_evaluation.home, name="evaluation_home"),
    path("evaluation/mine/", views_evaluation.mine, name="evaluation_mine"),
    path("evaluation/apply/", views_evaluation.apply, name="evaluation_apply"),
    path("evaluation/list/", views_evaluation.listing, name="evaluation_list"),
    path("evaluation/<int:evaluation>/", views_evaluation.detail, name="evaluation_detail"),
    path("evaluation/<int:evaluation>/self/", views_evaluation.self_score, name="evaluation_self"),
    path("evaluation/<int:evaluation>/evaluator/", views_evaluation.evaluator_score, name="evaluation_evaluator"),
    path("evaluation/<int:evaluation>/committee/", views_evaluation.committee_score, name="evaluation_committee"),
    path("evaluation/<int:evaluation>/publish/", views_evaluation.publish, name="evaluation_publish"),
    path("evaluation/<int:evaluation>/finalise/", views_evaluation.finalise, name="evaluation_finalise"),
    path("evaluation/<int:evaluation>/object/", views_evaluation.object_to, name="evaluation_object"),
    path("evaluation/<int:evaluation>/objections/<int:evaluation_objection>/reply/", views_evaluation.reply,
         name="evaluation_reply"),
]

# 监管看板 (supervision dashboard)
from . import views_dashboard  # noqa: E402

urlpatterns += [path("dashboard/", views_dashboard.home, name="dashboard")]


# zombie detection and clean-up campaigns (清理整治)
from . import views_zombie  # noqa: E402

urlpatterns += [
    path("zombie/", views_zombie.candidates, name="zombie_candidates"),
    path("zombie/scan/", views_zombie.scan, name="zombie_scan"),
    path("campaigns/", views_zombie.campaign_list, name="campaigns"),
    path("campaigns/new/", views_zombie.campaign_create, name="campaign_new"),
    path("campaigns/add/", views_zombie.campaign_add, name="campaign_add"),
    path("campaigns/<int:campaign>/", views_zombie.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign>/close/", views_zombie.campaign_close, name="campaign_close"),
    path("campaigns/cases/<int:campaign_case>/record/", views_zombie.case_record, name="campaign_case_record"),
    path("campaigns/cases/<int:campaign_case>/confirm/", views_zombie.case_confirm, name="campaign_case_confirm"),
    path("campaigns/cases/<int:campaign_case>/reassign/", views_zombie.case_reassign, name="campaign_case_reassign"),
]


# activity records (活动记录)
from . import views_activities  # noqa: E402

urlpatterns += [
    path("orgs/<str:uid>/activities/", views_activities.org_activities, name="org_activities"),
    path("activities/<int:activity>/photo/", views_activities.activity_photo, name="activity_photo"),
]
