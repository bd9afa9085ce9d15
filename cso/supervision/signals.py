"""Signals of supervision, for the apps above it (notices) that supervision does not import.

- ``annual_report_moved(report, event)``: after a move of an annual report committed (submit, return, review);
- ``annual_report_reminder(organization, year, deadline, users)``: a report of ``organization`` for ``year`` is
  missing ``deadline`` approaching; ``users`` are the organization's accounts to remind.
"""

from django.dispatch import Signal

annual_report_moved = Signal()
annual_report_reminder = Signal()

# ``evaluation_expiring(evaluation, users)``: a grade's validity ends soon (sent by ``evaluation_daily``).
evaluation_expiring = Signal()

# ``credit_objection_filed(objection)``: an organization objected to a listing (after the commit).
credit_objection_filed = Signal()
