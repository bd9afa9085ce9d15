"""Graduation through the application engine: when a body approves (or refuses) an intake's 备案 / 成立登记
application, the intake records it and the registry gets the base as the organization's origin
(``cso.applications.signals.application_moved``, sent after the move committed)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def graduation_decided(sender, application, event, **kwargs):
    if event.verb not in ("approve", "reject"):
        return
    from . import services

    try:
        services.graduated(application, event.actor)
    except Exception:  # the engine's move is committed; a failure here must not break it: it is logged and
        # made up by ``manage.py record_graduations`` (daily), which records every decided graduation still pending
        logger.exception("recording the graduation of %s failed (manage.py record_graduations retries)", application)
