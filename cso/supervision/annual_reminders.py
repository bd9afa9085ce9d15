"""Reminders of missing annual reports, ``remind_days`` before the deadline (per province; default 30, 7 and 1
days before 31 May).

``send(day)`` finds, per province rule, the report year whose deadline falls that many days after ``day``, the
organizations still missing that year's report (one query: ``annual.missing``), and sends the signal
``annual_report_reminder`` for each with its linked organization accounts; the notices app (above supervision)
listens and notifies them. Each day runs once (``AnnualReminderRun``): a second run the same day sends nothing.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cso.core.scoping import subtree_q
from cso.orgs.models import AccountLink, Organization

from . import annual
from .models import AnnualReminderRun
from .signals import annual_report_reminder

ORGANIZATION_ROLE = "organization"  # cso.accounts.choices.Role.ORGANIZATION


def _groups():
    """(rules, Q of the organizations they apply to): each province with its own rules, then everywhere else."""
    own = annual.provinces_with_own_rules()
    for province in own:
        yield annual.rules_for(province), subtree_q("division", province)
    rest = Q()
    for province in own:
        rest &= ~subtree_q("division", province)
    yield annual.rules_for(None), rest


def due_today(day: date):
    """(year, deadline, organizations missing that year's report) for every rule that reminds on ``day``."""
    for rules, where in _groups():
        year = day.year - 1
        deadline = rules.deadline(year)
        if (deadline - day).days in rules.remind_days:
            yield year, deadline, annual.missing(Organization.objects.filter(where), year)


def send(day: date | None = None) -> AnnualReminderRun:
    day = day or timezone.localdate()
    with transaction.atomic():
        run, created = AnnualReminderRun.objects.select_for_update().get_or_create(day=day)
        if not created and run.finished_at is not None:
            return run
        reminded = 0
        for year, deadline, orgs in due_today(day):
            for org in orgs.order_by("pk").iterator(chunk_size=1000):
                users = [link.user for link in AccountLink.objects.filter(
                    organization=org, user__is_active=True, user__role=ORGANIZATION_ROLE).select_related("user")]
                if not users:
                    continue
                annual_report_reminder.send(sender=Organization, organization=org, year=year, deadline=deadline,
                                            users=users)
                reminded += 1
        run.reminded = reminded
        run.finished_at = timezone.now()
        run.save()
    return run
