"""A small hand-counted registry in 兴宁区 (and one foreign organization in 青秀区).

As of D = 2025-06-30 (period 2025-04-01 – 2025-06-30):

    org  where                 track       tier       status on D                 notes
    A    兴宁社区 (urban)       registered  registered active                      culture_sports/elderly, party
    B    兴宁社区 (urban)       filed       community  active                      charity/children
    C    兴宁社区 (urban)       filed       street     active                      filed 2025-05-10 (new)
    D    北宁社区 (urban)       filed       community  deregistered (on D)         ended in period
    E    官桥村 (rural*)        filed       community  active (suspended 07-15)    *urban by urban–rural code 112
    F    兴宁区 itself          registered  registered active                      incubated
    G    朝阳社区 (urban)       filed       community  abnormal (since 05-01)      filed 2025-04-01 (new), party
    I    虎邱村 (rural)         filed       community  cleared (on 04-01)          ended in period
    H    新竹社区 (青秀区)      filed       community  active                      never in 兴宁区 figures

Targets 2025: 民生街道 avg_urban = 3; 兴宁区 avg_rural = 1.
Incubation bases: 兴宁区 (opened 2024-01-01), 民生街道 (opened 2025-07-01), 朝阳社区 (date unknown).
"""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

from cso.orgs import services
from cso.orgs.models import Category, IncubationBase, ServiceTarget
from cso.orgs.tests.factories import credit_code, make_filed, make_registered
from cso.regions.models import Division
from cso.stats.models import Target

D = date(2025, 6, 30)
PERIOD = date(2025, 4, 1)

COUNTY = "450102000000"
MINSHENG = "450102001000"
CHAOYANG_STREET = "450102002000"
XINGNING = "450102001003"
BEINING = "450102001004"
GUANQIAO = "450102001201"
CHAOYANG = "450102002001"
HUQIU = "450102002201"
FOREIGN_COUNTY = "450103000000"
FOREIGN_COMMUNITY = "450103001005"

# code: population, households, facility area
FIGURES = {
    XINGNING: (10000, 3000, Decimal("1000")),   # 33.3 m²/100 households: ok
    BEINING: (5000, 2000, Decimal("500")),      # 25: not ok
    GUANQIAO: (4000, 1000, Decimal("300")),     # exactly 30: ok
    CHAOYANG: (6000, 2000, None),               # unknown: not ok
    HUQIU: (3000, 1000, Decimal("400")),        # 40: ok
    FOREIGN_COMMUNITY: (8000, 2500, Decimal("900")),
}


def ensure_terms() -> None:
    """The seeded categories and service targets (a transactional test's flush removes them)."""
    seed = importlib.import_module("cso.orgs.migrations.0002_seed_terms")
    for model, rows in ((Category, seed.CATEGORIES), (ServiceTarget, seed.SERVICE_TARGETS)):
        for bit, (code, name) in enumerate(rows):
            model.objects.get_or_create(code=code, defaults={"name": name, "bit": bit, "order": bit})


def build(cast) -> dict:
    ensure_terms()
    county = cast["superuser"]  # setting up: the registering and filing bodies act through the superuser
    for code, (population, households, area) in FIGURES.items():
        Division.objects.filter(code=code).update(population=population, households=households,
                                                  facility_area=area)
    base = IncubationBase.objects.create(name="兴宁区社会组织孵化基地", division_id=COUNTY, level=3,
                                         opened_on=date(2024, 1, 1))
    IncubationBase.objects.create(name="民生街道孵化基地", division_id=MINSHENG, level=4, opened_on=date(2025, 7, 1))
    IncubationBase.objects.create(name="朝阳社区孵化点", division_id=CHAOYANG, level=5)
    orgs = {}
    orgs["A"] = make_registered(county, division=XINGNING, registered_on=date(2020, 5, 1),
                                categories=["culture_sports"], service_targets=["elderly"],
                                party_building="independent")
    orgs["B"] = make_filed(county, division=XINGNING, filed_on=date(2021, 3, 1),
                           categories=["charity"], service_targets=["children"])
    orgs["C"] = make_filed(county, division=XINGNING, filed_on=date(2025, 5, 10), tier="street")
    orgs["D"] = make_filed(county, division=BEINING, filed_on=date(2021, 3, 1))
    services.change_status(orgs["D"], "deregistered", D, "自行解散", county)
    orgs["E"] = make_filed(county, division=GUANQIAO, filed_on=date(2021, 3, 1))
    services.change_status(orgs["E"], "suspended", date(2025, 7, 15), "负责人外出", county)
    orgs["F"] = make_registered(county, division=COUNTY, registered_on=date(2019, 1, 1),
                                founded_on=date(2019, 1, 1), org_type="social_service",
                                credit_code=credit_code("2"), incubated_by=base)
    orgs["G"] = make_filed(county, division=CHAOYANG, filed_on=date(2025, 4, 1), party_building="instructor")
    services.change_status(orgs["G"], "abnormal", date(2025, 5, 1), "未按时报送", county)
    orgs["I"] = make_filed(county, division=HUQIU, filed_on=date(2021, 3, 1))
    services.change_status(orgs["I"], "cleared", PERIOD, "长期不活动", county)
    orgs["H"] = make_filed(cast["superuser"], division=FOREIGN_COMMUNITY, filed_on=date(2021, 1, 1))
    Target.objects.create(division_id=MINSHENG, year=2025, key="avg_urban", value=Decimal("3"))
    Target.objects.create(division_id=COUNTY, year=2025, key="avg_rural", value=Decimal("1"))
    return orgs
