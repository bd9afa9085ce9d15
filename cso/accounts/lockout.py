"""Sign-in lockout (django-axes): a user name from one address, and an address as a whole, each with its cap.

Locking by user name alone lets anyone lock anyone out (five wrong passwords typed from anywhere);
locking by address alone locks a whole office behind one shared address out because of one clerk. So:

- ``AXES_FAILURE_LIMIT`` (``CSO_LOGIN_FAILURE_LIMIT``, 5) failures of one user name *from one address*
  lock that user name from that address only: the real user, elsewhere, still signs in;
- ``CSO_LOGIN_ADDRESS_FAILURE_LIMIT`` (50) failures from one address, whatever the user names, lock the
  address: a stranger guessing many accounts' passwords is stopped, while the colleagues of one clerk
  who mistyped five times are not.

axes counts the attempts of both (``AXES_LOCKOUT_PARAMETERS``) and compares one number with one limit;
this handler gives it that number: the user-and-address failures, or the address failures scaled to the
user cap (``failures × user cap ÷ address cap``, rounded down, reaches the user cap exactly when the
address reaches its own). It marks the request with which of the two locked it. A successful sign-in
clears that user name's failures from that address only, never the address's count.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

USER_AT_ADDRESS = ["username", "ip_address"]
ADDRESS = "ip_address"
LOCKOUT_PARAMETERS = [USER_AT_ADDRESS, ADDRESS]


def user_limit() -> int:
    limit = settings.AXES_FAILURE_LIMIT
    return limit if isinstance(limit, int) else 5


def address_limit() -> int:
    return max(settings.CSO_LOGIN_ADDRESS_FAILURE_LIMIT, user_limit())


def _sum(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        user_attempts, address_attempts = self.get_user_attempts(request, credentials)
        per_user, per_address = _sum(user_attempts), _sum(address_attempts)
        scaled = per_address * user_limit() // address_limit()
        if request is not None:
            request.cso_address_locked = scaled >= user_limit() > per_user
        return max(per_user, scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        user_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = user_attempts.delete()
        return count
