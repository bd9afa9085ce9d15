from django.urls import path

from . import views_inspections as inspections

app_name = "supervision"

urlpatterns: list = []

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
]
