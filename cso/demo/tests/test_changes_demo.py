"""The demo's pending 变更 and 备案注销 land in the right officials' queues, once."""

import io

import pytest

from cso.applications import services
from cso.applications.models import Application, State


@pytest.mark.django_db
def test_the_demo_cases_wait_in_the_registrars_and_the_streets_queues(cast):
    from cso.demo import changes_demo
    from cso.demo.testing import make_user
    from cso.orgs.tests.factories import make_filed, make_registered

    make_user("xn_zuzhi", "organization", "450102001003")
    make_registered(cast["superuser"])
    make_filed(cast["superuser"])
    changes_demo.load(io.StringIO())
    changes_demo.load(io.StringIO())
    change, cancel = Application.objects.get(kind="change"), Application.objects.get(kind="filing_cancel")
    assert change.state == cancel.state == State.SUBMITTED
    assert list(services.queue(cast["registrar"])) == [change]
    assert list(services.queue(cast["street"])) == [cancel]
    assert set(change.payload["changes"]) == {"address", "member_count"}
    from cso.demo.tests.test_applications_demo import assert_demo_materials

    assert_demo_materials([change, cancel])
    assert change.attachments.count() == len(change.kind_spec.required_materials(change)) >= 2
