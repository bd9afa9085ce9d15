"""Quarterly tables become tables of reporting rounds, of a county or a city, in an approval chain.

Existing tables keep their frozen data, as-of date and period start. Each is placed in the round that
answered its old quarter's deadline (2nd–4th quarter: seed 000's 6/20, 9/20, 12/20 rounds, whose
reference date this product proposes as the last day of the month before); a 1st-quarter table (the
3/20 deadline seed 000 does not name) keeps a round of its own, still readable. A table "reviewed"
by its own county but not submitted becomes a draft again (review is now the submission by a second
account); submitted tables await their city's decision.
"""

import datetime

from django.db import migrations, models

OLD_DEADLINES = {1: (3, 20), 2: (6, 20), 3: (9, 20), 4: (12, 20)}


def to_rounds(apps, schema_editor):
    QuarterlyReport = apps.get_model("reports", "QuarterlyReport")
    for report in QuarterlyReport.objects.order_by("pk").iterator():
        q = report.quarter
        month, day = OLD_DEADLINES[q]
        report.deadline = datetime.date(report.year, month, day)
        report.reference_date = datetime.date(report.year, month, 1) - datetime.timedelta(days=1)
        report.round_label = f"第{q - 1}轮" if q > 1 else "第1季度（旧报送期）"
        if report.status == "reviewed":
            report.status = "draft"
        report.save(update_fields=["deadline", "reference_date", "round_label", "status"])


def to_quarters(apps, schema_editor):
    QuarterlyReport = apps.get_model("reports", "QuarterlyReport")
    for report in QuarterlyReport.objects.order_by("pk").iterator():
        report.quarter = (report.deadline.month - 1) // 3 + 1
        if report.status in ("returned", "accepted"):
            report.status = "submitted" if report.status == "accepted" else "superseded"
        report.save(update_fields=["quarter", "status"])


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_totals"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="quarterlyreport", name="report_unique_version"),
        migrations.RemoveConstraint(model_name="quarterlyreport", name="report_one_live_version"),
        migrations.RemoveConstraint(model_name="quarterlyreport", name="report_quarter_1_4"),
        migrations.RemoveIndex(model_name="quarterlyreport", name="report_quarter_county"),
        migrations.RenameField(model_name="quarterlyreport", old_name="county", new_name="division"),
        migrations.RenameField(model_name="historicalquarterlyreport", old_name="county", new_name="division"),
        migrations.RenameField(model_name="reportevent", old_name="county", new_name="division"),
        *[
            op
            for model in ("quarterlyreport", "historicalquarterlyreport")
            for op in (
                migrations.AddField(model_name=model, name="reference_date",
                                    field=models.DateField(null=True, verbose_name="截至日期（轮次）")),
                migrations.AddField(model_name=model, name="deadline",
                                    field=models.DateField(null=True, verbose_name="报送期限")),
                migrations.AddField(model_name=model, name="round_label",
                                    field=models.CharField(blank=True, max_length=60, verbose_name="轮次")),
                migrations.AddField(model_name=model, name="decided_at",
                                    field=models.DateTimeField(blank=True, null=True, verbose_name="上级审批时间")),
                migrations.AddField(model_name=model, name="return_reason",
                                    field=models.TextField(blank=True, verbose_name="退回原因")),
            )
        ],
        migrations.AddField(model_name="reportevent", name="user_division",
                            field=models.CharField(blank=True, max_length=60, verbose_name="操作人所属区划")),
        # nullable first, so that the way back can re-add the column before filling it
        *[
            migrations.AlterField(model_name=model, name="quarter", field=models.PositiveSmallIntegerField(
                choices=[(1, "第1季度"), (2, "第2季度"), (3, "第3季度"), (4, "第4季度")], null=True, verbose_name="季度"))
            for model in ("quarterlyreport", "historicalquarterlyreport")
        ],
        migrations.RunPython(to_rounds, to_quarters),
        migrations.RemoveField(model_name="quarterlyreport", name="quarter"),
        migrations.RemoveField(model_name="historicalquarterlyreport", name="quarter"),
        *[
            op
            for model in ("quarterlyreport", "historicalquarterlyreport")
            for op in (
                migrations.AlterField(model_name=model, name="reference_date",
                                      field=models.DateField(verbose_name="截至日期（轮次）")),
                migrations.AlterField(model_name=model, name="deadline",
                                      field=models.DateField(verbose_name="报送期限")),
            )
        ],
    ]
