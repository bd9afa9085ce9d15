from cso.supervision.annual_tasks import remind_annual_reports
from cso.supervision.management.daily import DailyTaskCommand


class Command(DailyTaskCommand):
    help = ("提醒未报送年度报告的组织（每天一次，由 cron 运行；在截止日期前 CSO_ANNUAL_REPORT_RULES 的"
            " remind_days 天提醒；同一天再次运行不会重复提醒）。交给后台任务进程执行。")
    task = remind_annual_reports
    done = "年报提醒"
