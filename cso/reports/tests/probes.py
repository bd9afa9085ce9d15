"""How the generated permission test tries the reports' actions over HTTP (see cso.accounts.probes).

Subjects are tables (or, for preparing and chasing, divisions) inside and outside every row's reach: the 兴宁区
line's county and city, the sibling county 青秀区, a county of another city (柳州市城中区), the province and a
county and province elsewhere (广东). Tables are written directly (prepared by the superuser, so the account
trying is never the table's preparer) in the state the action needs. Reading is tried on tables sent up (a
draft is its division's own work: the levels above never see it, which the scoping keeps apart from the table).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cso.accounts.probes import Probe, answered, refused, register
from cso.reports import rounds
from cso.reports.models import ColumnLayout, Overdue, QuarterlyReport, Reminder, ReportingRound

COUNTY, SIBLING, OTHER_CITY_COUNTY, CITY = "450102000000", "450103000000", "450202000000", "450100000000"
PROVINCE, FOREIGN_COUNTY, FOREIGN_PROVINCE = "450000000000", "440103000000", "440000000000"
TABLES = {"own_county": COUNTY, "sibling_county": SIBLING, "other_city_county": OTHER_CITY_COUNTY, "city": CITY,
          "foreign_county": FOREIGN_COUNTY}


def _open_round(code: str) -> rounds.Round:
    """The latest round whose reference date has come (tables may be prepared)."""
    return rounds.latest_due(code, timezone.localdate())


def _late_round(code: str) -> rounds.Round:
    """The latest round whose deadline has passed (a division without a table may be chased)."""
    today = timezone.localdate()
    return [r for y in (today.year - 1, today.year) for r in rounds.rounds_of(code, y) if r.deadline < today][-1]


def _table(world, code: str, status: str, rnd: rounds.Round | None = None) -> QuarterlyReport:
    rnd = rnd or _open_round(code)
    now = timezone.now()
    sent = status != "draft"
    return QuarterlyReport.objects.create(
        division_id=code, year=rnd.year, reference_date=rnd.reference, deadline=rnd.deadline,
        round_label=rnd.label, version=1, status=status, as_of=rnd.reference, period_start=rnd.period_start,
        data={"columns": [], "rows": [], "total": {"code": code, "name": code, "values": {"orgs_live": 1}},
              "as_of": rnd.reference.isoformat(), "period_start": rnd.period_start.isoformat(), "urban_rule_label": ""},
        totals={"orgs_live": 1}, generated_at=now, prepared_by=world.superuser, prepared_by_name="探针制表人",
        submitted_at=now if sent else None, reviewer_name="探针审核人" if sent else "",
    )


def _status(report) -> str:
    return QuarterlyReport.objects.get(pk=report.pk).status


# --- reading ---------------------------------------------------------------------------------------
def _sent(world, subject, account):
    return _table(world, TABLES[subject], "submitted")


def _view(client, report):
    # the export is the whole table: staff only (a street's or community's account reads its own rows)
    response = client.get(reverse("reports:export", args=[report.pk]))
    return answered(response, done=response.status_code == 200)


def _view_own_rows(client, report):
    response = client.get(reverse("reports:detail", args=[report.pk]))
    if response.status_code in (403, 404):
        return refused(response)
    assert response.status_code == 200, response.status_code
    # staff read the whole table (reports.view), not "their own rows": that is not this action
    return 'data-testid="own-rows-note"' in response.content.decode()


register(Probe("reports.view", tuple(TABLES), _sent, _view))
register(Probe("reports.view_own_rows", tuple(TABLES), _sent, _view_own_rows))


# --- preparing and submitting one's own table ----------------------------------------------------------
PLACES = {"own_county": COUNTY, "sibling_county": SIBLING, "city": CITY, "foreign_county": FOREIGN_COUNTY}


def _place(world, subject, account):
    code = PLACES[subject]
    if code == CITY:  # a city's roll-up needs every county's table accepted
        rnd = _open_round(CITY)
        for county in (COUNTY, SIBLING):
            _table(world, county, "accepted", rnd)
    return Overdue(code)


def _prepare(client, place):
    reference = _open_round(place.division_code).reference.isoformat()
    before = QuarterlyReport.objects.filter(division_id=place.division_code).count()
    response = client.post(reverse("reports:generate", args=[place.division_code]),
                           {"p-reference": reference, "p-prepared_by_name": "探针"})
    done = QuarterlyReport.objects.filter(division_id=place.division_code).count() > before
    return answered(response, done=done)


def _draft(world, subject, account):
    return _table(world, PLACES[subject], "draft")


def _submit(client, report):
    response = client.post(reverse("reports:submit", args=[report.pk]), {"reviewer_name": "探针审核人"})
    return answered(response, done=_status(report) == "submitted")


register(Probe("reports.prepare", tuple(PLACES), _place, _prepare))
register(Probe("reports.submit", tuple(PLACES), _draft, _submit))


# --- the level above decides, and chases ---------------------------------------------------------------
def _submitted(world, subject, account):
    return _table(world, TABLES[subject], "submitted")


def _accept(client, report):
    response = client.post(reverse("reports:accept", args=[report.pk]), {"note": "探针"})
    return answered(response, done=_status(report) == "accepted")


def _return(client, report):
    response = client.post(reverse("reports:return", args=[report.pk]), {"reason": "探针退回"})
    return answered(response, done=_status(report) == "returned")


def _late(world, subject, account):
    return Overdue(TABLES[subject])


def _chase(client, place):
    reference = _late_round(place.division_code).reference.isoformat()
    response = client.post(reverse("reports:chase", args=[place.division_code]), {"reference": reference})
    return answered(response, done=Reminder.objects.filter(division_id=place.division_code).exists())


register(Probe("reports.accept", tuple(TABLES), _submitted, _accept))
register(Probe("reports.return", tuple(TABLES), _submitted, _return))
register(Probe("reports.chase", tuple(TABLES), _late, _chase))


# --- the province's settings ------------------------------------------------------------------------
PROVINCES = {"own_province": PROVINCE, "foreign_province": FOREIGN_PROVINCE}


def _round(world, subject, account):
    return ReportingRound(province=world.division(PROVINCES[subject]))


def _add_round(client, row):
    response = client.post(reverse("reports:rounds"), {
        "division": row.province_id, "reference_month": 2, "reference_day": 28, "deadline_month": 3,
        "deadline_day": 20, "source": "探针"})
    done = ReportingRound.objects.filter(province_id=row.province_id, reference_month=2, reference_day=28).exists()
    return answered(response, done=done)


def _layout(world, subject, account):
    return ColumnLayout(province=world.division(PROVINCES[subject]))


def _choose_columns(client, layout):
    response = client.post(reverse("reports:columns"), {"division": layout.province_id,
                                                        "columns": ["orgs_live", "new_in_period"]})
    done = ColumnLayout.objects.filter(province_id=layout.province_id, columns=["orgs_live", "new_in_period"]).exists()
    return answered(response, done=done)


register(Probe("reports.rounds", tuple(PROVINCES), _round, _add_round))
register(Probe("reports.columns", tuple(PROVINCES), _layout, _choose_columns))

