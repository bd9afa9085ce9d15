from cso.demo import supervision_annual
from cso.demo.testing import make_user
from cso.orgs.models import AccountLink
from cso.orgs.tests.factories import make_registered
from cso.supervision.models import AnnualReport


def test_the_bureau_finds_a_queue_and_a_missing_list_and_the_demo_loads_once(cast, client):
    bureau = make_user("xn_minzheng", "civil_affairs", "450102000000")
    account = make_user("xn_zuzhi", "organization", "450102001003")
    orgs = [make_registered(cast["superuser"]) for _ in range(8)]
    AccountLink.objects.create(user=account, organization=orgs[0], division_id=orgs[0].division_id)
    assert supervision_annual.load() == 6
    assert supervision_annual.load() == 0
    client.force_login(bureau)
    assert client.get("/supervision/annual/review/").content.decode().count('data-testid="annual-queue-row"') == 3
    lists = client.get("/supervision/annual/lists/").content.decode()
    assert orgs[6].name in lists and orgs[7].name in lists and orgs[1].name not in lists
    client.force_login(account)
    assert "须报告整改情况" in client.get("/supervision/annual/").content.decode()
    assert AnnualReport.objects.filter(organization=orgs[0], result="basic").exists()
