"""The REST API (django-ninja): one router per app, assembled here at the top of the project, all behind
the same division scoping."""

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="社区社会组织培育发展管理平台 API",
    version="1",
    description="所有接口按账号所属区划限定数据范围；使用登录会话认证。",
    auth=django_auth,
    urls_namespace="api",
)

api.add_router("/divisions/", "cso.regions.api.router")
api.add_router("/orgs/", "cso.orgs.api.router")
api.add_router("/stats/", "cso.stats.api.router")
api.add_router("/funding/", "cso.funding.api.router")
