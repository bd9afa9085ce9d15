"""How the generated permission test tries the statistics' actions over HTTP (see cso.accounts.probes)."""

from __future__ import annotations

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.stats.models import ProvinceSetting

PROVINCES = {"own_province": "450000000000", "foreign_province": "440000000000"}


def _setting(world, subject, account):
    return ProvinceSetting(division=world.division(PROVINCES[subject]))


def _set_base_levels(client, setting):
    response = client.post(reverse("stats:targets"), {"division": setting.division_id, "year": "2025",
                                                      "action": "base_levels", "base_levels": "all"})
    done = ProvinceSetting.objects.filter(division_id=setting.division_id, base_levels="all").exists()
    return answered(response, done=done)


register(Probe("stats.settings", tuple(PROVINCES), _setting, _set_base_levels))
