import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .models import SignInEvent, User

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle mb-0"}
TEMPLATE = "accounts/includes/table.html"


class UserTable(tables.Table):
    username = tables.Column(verbose_name="用户名", linkify=("accounts:user_detail", {"pk": tables.A("pk")}))
    full_name = tables.Column(verbose_name="姓名")
    role = tables.Column(verbose_name="角色", order_by=("role", "division_id"))
    division = tables.Column(verbose_name="所属区划", order_by=("division_id",), empty_values=())
    phone = tables.Column(verbose_name="手机号码")
    is_active = tables.Column(verbose_name="状态")
    last_login = tables.DateTimeColumn(verbose_name="最近登录", format="Y-m-d H:i")

    class Meta:
        model = User
        fields = ("username", "full_name", "role", "division", "phone", "is_active", "last_login")
        attrs = TABLE_ATTRS
        template_name = TEMPLATE
        empty_text = "没有符合条件的账号"
        order_by = ("division", "username")

    def render_role(self, record):
        return record.role_display

    def render_division(self, record):
        if record.division is None:
            return "全国"
        return format_html('{}<br><span class="text-muted small">{}</span>', record.division.name,
                           record.division_id)

    def render_is_active(self, value):
        if value:
            return mark_safe('<span class="badge text-bg-success">启用</span>')
        return mark_safe('<span class="badge text-bg-secondary">停用</span>')


class SignInTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i:s")
    username = tables.Column(verbose_name="用户名")
    division = tables.Column(verbose_name="所属区划", order_by=("division_id",))
    success = tables.Column(verbose_name="结果")
    reason = tables.Column(verbose_name="说明")
    ip_address = tables.Column(verbose_name="IP地址")
    user_agent = tables.Column(verbose_name="浏览器", orderable=False)

    class Meta:
        model = SignInEvent
        fields = ("created_at", "username", "division", "success", "reason", "ip_address", "user_agent")
        attrs = TABLE_ATTRS
        template_name = TEMPLATE
        empty_text = "没有符合条件的登录记录"
        order_by = ("-created_at",)

    def render_division(self, record):
        return record.division.name

    def render_success(self, value):
        if value:
            return mark_safe('<span class="badge text-bg-success">成功</span>')
        return mark_safe('<span class="badge text-bg-danger">失败</span>')

    def render_user_agent(self, value):
        short = value if len(value) <= 40 else value[:40] + "…"
        return format_html('<span class="small text-muted" title="{}">{}</span>', value, short)
