"""How the generated permission test tries the portal's actions (and orgs.edit_contact, its page) over HTTP."""

from __future__ import annotations

from django.urls import reverse

from cso.accounts.probes import Probe, answered, register
from cso.orgs.models import Organization
from cso.orgs.tests.probes import ALL, make


def _page(name):
    def attempt(client, _):
        response = client.get(reverse(name))
        return answered(response, done=response.status_code == 200)

    return attempt


def _edit_contact(client, org):
    response = client.post(reverse("portal:contact", args=[org.uid]),
                           {"contact_name": "探针联系人", "contact_phone": "13700000001", "address": "探针路1号",
                            "activity_schedule": "每周一", "activity_place": "活动室", "description": ""})
    done = Organization.objects.get(pk=org.pk).contact_name == "探针联系人"
    return answered(response, done)


register(Probe("portal.mine", (None,), lambda world, subject, account: None, _page("portal:home")))
register(Probe("portal.linked", (None,), lambda world, subject, account: None, _page("portal:linked")))
register(Probe("orgs.edit_contact", ALL, lambda world, subject, account: make(world, subject, account),
               _edit_contact))
