"""Tables made before rounds and the approval chain keep working: each is placed in the round of its old
deadline, keeps its frozen data, and a table only "reviewed" by its own county becomes a draft again."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reports", "0002_totals")]
AFTER = [("reports", "0004_round_settings_reminders")]


@pytest.mark.django_db(transaction=True)
def test_quarterly_tables_are_migrated_into_rounds():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Division = old.get_model("regions", "Division")
    Report = old.get_model("reports", "QuarterlyReport")
    county = Division.objects.create(code="450102000000", name="兴宁区", level=3, edition=2023, first_edition=2023)
    now = datetime(2025, 6, 18, 2, tzinfo=UTC)
    common = {"county": county, "year": 2025, "version": 1, "generated_at": now, "prepared_by_name": "张敏",
              "data": {"total": {"values": {"orgs_live": 5}}, "columns": [], "rows": []}}
    Report.objects.create(quarter=2, status="submitted", as_of=date(2025, 6, 18), period_start=date(2025, 4, 1),
                          submitted_at=now, **common)
    Report.objects.create(quarter=1, status="submitted", as_of=date(2025, 3, 31), period_start=date(2025, 1, 1),
                          submitted_at=now, **common)
    Report.objects.create(quarter=3, status="reviewed", as_of=date(2025, 9, 18), period_start=date(2025, 7, 1),
                          **common)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Report = new.get_model("reports", "QuarterlyReport")
    rows = {r.deadline: r for r in Report.objects.all()}
    q2 = rows[date(2025, 6, 20)]
    assert (q2.reference_date, q2.round_label, q2.status, q2.division_id) == (
        date(2025, 5, 31), "第1轮", "submitted", "450102000000")
    assert (q2.as_of, q2.period_start, q2.data["total"]["values"]["orgs_live"]) == (
        date(2025, 6, 18), date(2025, 4, 1), 5)
    q1 = rows[date(2025, 3, 20)]
    assert (q1.reference_date, q1.round_label) == (date(2025, 2, 28), "第1季度（旧报送期）")
    assert rows[date(2025, 9, 20)].status == "draft"

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)  # reversible
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
