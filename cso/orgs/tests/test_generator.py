"""The demo/scale generator: deterministic, counts follow the parameters, rows pass the model rules."""

from datetime import date
from itertools import pairwise

import pytest
from django.core.management import call_command
from stdnum.cn import ric, uscc

from cso.orgs import generator, services
from cso.orgs.choices import LIVE_STATUSES, Track
from cso.orgs.models import HubMembership, Leader, Organization, OrgStateSpan, StatusChange
from cso.regions import codes

pytestmark = pytest.mark.django_db

URBAN = ["450102001003", "450102001004", "450102002001", "450103001005", "450103001006", "450202001001"]
RURAL = ["450102001201", "450102002201"]


def _snapshot():
    return sorted(
        Organization.objects.values_list(
            "uid", "name", "division_id", "track", "org_type", "status", "credit_code", "filed_on", "registered_on",
        )
    )


def test_counts_follow_the_parameters(tree):
    result = generator.generate(["45"], per_urban=4, per_rural=2, seed=3, spread=0)
    for code in URBAN:
        assert Organization.objects.filter(division_id=code).count() == 4, code
    for code in RURAL:
        assert Organization.objects.filter(division_id=code).count() == 2, code
    assert result.communities == len(URBAN) + len(RURAL)
    assert result.organizations == Organization.objects.count()
    # County- and street-level registered organizations and city/province foundations exist too.
    levels = {codes.level_of(c) for c in Organization.objects.values_list("division_id", flat=True)}
    assert codes.COMMUNITY in levels
    assert Organization.objects.filter(org_type="foundation", is_community_org=False).exists()


def test_scale_and_spread_keep_the_mean(tree):
    generator.generate(["450102"], per_urban=10, per_rural=5, seed=1, scale=2, spread=0.5)
    urban = sum(Organization.objects.filter(division_id=c).count() for c in URBAN if c.startswith("450102"))
    rural = sum(Organization.objects.filter(division_id=c).count() for c in RURAL)
    assert 3 * 20 * 0.5 <= urban <= 3 * 20 * 1.5
    assert 2 * 10 * 0.5 <= rural <= 2 * 10 * 1.5
    assert urban / 3 > rural / 2


def test_deterministic_with_a_seed(tree):
    generator.generate(["45"], per_urban=6, per_rural=3, seed=7)
    first = _snapshot()
    Organization.objects.all().delete()
    generator.generate(["45"], per_urban=6, per_rural=3, seed=7, batch_size=5)
    assert _snapshot() == first
    Organization.objects.all().delete()
    generator.generate(["45"], per_urban=6, per_rural=3, seed=8)
    assert _snapshot() != first


def test_generated_rows_pass_the_model_rules(tree):
    generator.generate(["45"], per_urban=12, per_rural=6, seed=2)
    orgs = list(Organization.objects.select_related("division"))
    assert len(orgs) > 60
    for org in orgs:
        org.full_clean()
        if org.track == Track.REGISTERED:
            assert uscc.is_valid(org.credit_code) and org.credit_code[0] == "5"
            assert org.credit_code[1] == ("3" if org.org_type == "foundation" else "1" if org.org_type == "social_group"
                                          else "2")
            # a real registering body, whose region code the credit code carries
            assert org.registration_authority is not None
            assert org.registration_authority_division_id == org.registration_authority.division_id
            assert org.credit_code_warning() is None
        else:
            assert org.credit_code is None and org.registration_authority is None
            assert org.supervising_unit == ""
        assert org.name_pinyin and org.name_initials
    assert all(o.business_scope for o in orgs if o.categories.exists())
    assert {o.registration_authority.kind for o in orgs if o.registration_authority} >= {"county_bureau"}
    leaders = list(Leader.objects.all())
    assert len(leaders) >= len(orgs)
    for leader in leaders:
        leader.full_clean()
        assert ric.is_valid(leader.id_number)
    names = [o.name for o in orgs]
    assert any(n.startswith("兴宁社区") for n in names) and any(n.startswith("官桥村") for n in names)
    assert not any("居委会" in n or "村委会" in n for n in names)


def test_spans_agree_with_statuses(tree):
    generator.generate(["45"], per_urban=15, per_rural=8, seed=5)
    today = date.today()
    by_org = {}
    for span in OrgStateSpan.objects.order_by("organization_id", "valid_from"):
        by_org.setdefault(span.organization_id, []).append(span)
    orgs = list(Organization.objects.all())
    assert len(by_org) == len(orgs)
    for org in orgs:
        spans = by_org[org.pk]
        assert spans[0].valid_from == org.started_on
        for before, after in pairwise(spans):
            assert before.valid_to == after.valid_from and before.facts() != after.facts()
        assert spans[-1].valid_to is None
        assert services.org_state_as_of(org, today).facts() == org.span_facts()
        changes = list(StatusChange.objects.filter(organization=org).order_by("effective_date", "id"))
        assert changes[0].from_status == "" and changes[-1].to_status == org.status
    # Some organizations have a history (so as-of queries differ from today).
    assert OrgStateSpan.objects.filter(valid_to__isnull=False).exists()
    assert Organization.objects.exclude(status="active").exists()
    live = services.state_as_of(today).filter(status__in=LIVE_STATUSES).count()
    assert live == Organization.objects.live().count()


def test_federations_have_enough_members(tree):
    generator.generate(["450102001"], per_urban=20, per_rural=10, seed=1, spread=0)
    hubs = Organization.objects.filter(is_hub=True)
    for hub in hubs:
        assert HubMembership.objects.filter(hub=hub).count() >= 30
        assert hub.supervising_unit == "民生街道办事处"
    assert hubs.exists()


def test_idempotent_and_command(tree):
    call_command("generate_orgs", "--scope", "450102", "--per-urban", "3", "--per-rural", "2", "--seed", "1",
                 stdout=_Sink(), stderr=_Sink())
    count = Organization.objects.count()
    assert count > 0
    out = _Sink()
    call_command("generate_orgs", "--scope", "450102", "--seed", "1", stdout=out, stderr=_Sink())
    assert Organization.objects.count() == count
    assert "新建组织 0 个" in out.text


def test_community_base_names():
    assert generator.community_base_name("兴宁社区居委会", True) == "兴宁社区"
    assert generator.community_base_name("官桥村委会", False) == "官桥村"
    assert generator.community_base_name("东风村民委员会", False) == "东风村"
    assert generator.community_base_name("南湖居民委员会", True) == "南湖社区"
    assert generator.province_short_name("广西壮族自治区") == "广西"


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, msg="", *args, **kwargs):
        self.text += str(msg)

    def flush(self):
        pass


def test_deferred_indexes_are_rebuilt(tree):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("index deferral is for PostgreSQL")

    def indexes():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'orgs_%%' ORDER BY 1")
            return cursor.fetchall()

    before = indexes()
    generator.generate(["450102"], per_urban=2, per_rural=1, seed=1, defer_indexes=True)
    assert indexes() == before
    assert Organization.objects.exists()
