"""How the generated permission test tries the regions' actions over HTTP (see cso.accounts.probes)."""

from __future__ import annotations

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.regions.models import Division

PLACES = {"own_county": "450102000000", "own_community": "450102001003", "other_community": "450102001004",
          "sibling_county": "450103000000", "other_province": "440103000000", "province": "450000000000"}


def _division(world, subject, account):
    return Division.objects.get(code=PLACES[subject])


def _view(client, division):
    response = client.get(reverse("regions:detail", args=[division.code]))
    return answered(response, done=response.status_code == 200)


def _edit(client, division):
    response = client.post(reverse("regions:edit", args=[division.code]),
                           {"population": "4321", "households": "1234", "facility_area": "100", "reason": "探针"})
    return answered(response, done=Division.objects.get(pk=division.pk).population == 4321)


register(Probe("regions.view", tuple(PLACES), _division, _view))
register(Probe("regions.edit_figures", tuple(PLACES), _division, _edit))
