from cso.supervision.feeds import feed_credit_from_annual_reports
from cso.supervision.management.daily import DailyTaskCommand


class Command(DailyTaskCommand):
    help = ("把逾期未报送年度报告的组织记入信用记录（未按规定报送年度工作报告；每天一次，由 cron 运行；"
            "每个组织每个年度只记一次）。交给后台任务进程执行。")
    task = feed_credit_from_annual_reports
    done = "年报逾期信用记录"
