"""A small registry under 兴宁区 with hand-computed figures (see the table below).

As of DAY (2025-06-30; the quarter runs from 2025-04-01), urban/rural by committee type:

community (code)        urban  pop   hh    area  live CSOs  at target  facility ok (m²/100 hh)
兴宁社区居委会 (003)     yes    4000  1000  400   11         yes (≥10)  yes (40)
北宁社区居委会 (004)     yes    3000  1000  200    2         no  (8)    no  (20)
官桥村委会 (201)         no     2000   500  200    1         no  (4)    yes (40)
朝阳社区居委会 (002001)  yes    1000   400    0    0         no  (10)   no  (0)
虎邱村委会 (002201)      no     1000   300  100    5         yes (≥5)   yes (33.3)

兴宁区: 19 live (1 registered, 18 filed), population 11,000, 5 communities (3 urban, 2 rural);
per 10,000 residents 1 × 10000 / 11000 = 0.909…; avg urban 13 / 3 = 4.33…; avg rural 6 / 2 = 3;
communities at target 2 / 5 = 40 %; facility 3 / 5 = 60 %; party coverage 1 / 19.
New in the quarter: 1 (北宁, filed 2025-05-01). Ended in the quarter: 1 (官桥, deregistered
2025-05-10). The sibling county 青秀区 holds three organizations named 青秀外来… that must never show.
"""

from datetime import date

import pytest

from cso.orgs import services as org_services
from cso.orgs.tests.factories import make_filed, make_registered
from cso.regions.models import Division

DAY = date(2025, 6, 30)
COUNTY = "450102000000"
STREET = "450102001000"  # 民生街道
STREET_2 = "450102002000"  # 朝阳街道
XINGNING = "450102001003"
BEINING = "450102001004"
GUANQIAO = "450102001201"
CHAOYANG = "450102002001"
HUQIU = "450102002201"
FOREIGN_COMMUNITY = "450103001005"

FIGURES = {
    XINGNING: (4000, 1000, 400),
    BEINING: (3000, 1000, 200),
    GUANQIAO: (2000, 500, 200),
    CHAOYANG: (1000, 400, 0),
    HUQIU: (1000, 300, 100),
    FOREIGN_COMMUNITY: (5000, 1500, 600),
    "450103001006": (5000, 1500, 600),
}


@pytest.fixture
def registry(cast):
    return build_registry(cast)


def build_registry(cast):
    """Populations and organizations of the table above (also used by the browser test)."""
    for code, (population, households, area) in FIGURES.items():
        Division.objects.filter(code=code).update(population=population, households=households, facility_area=area)
    county = cast["superuser"]  # setting up: the registering and filing bodies act through the superuser
    make_registered(county, division=XINGNING, name="兴宁社区服务协会", categories=["charity"],
                    service_targets=["elderly"], party_building="independent")
    for i in range(10):
        make_filed(county, division=XINGNING, name=f"兴宁社区文体队{i + 1}", categories=["culture_sports"],
                   service_targets=["elderly"])
    make_filed(county, division=BEINING, name="北宁太极拳队", categories=["culture_sports"],
               service_targets=["elderly"])
    make_filed(county, division=BEINING, name="北宁儿童关爱小组", categories=["charity"],
               service_targets=["children"], filed_on=date(2025, 5, 1))
    make_filed(county, division=GUANQIAO, name="官桥农技服务队", categories=["rural_production"],
               service_targets=["migrant_workers"])
    ended = make_filed(county, division=GUANQIAO, name="官桥腰鼓队", categories=["culture_sports"])
    org_services.change_status(ended, "deregistered", date(2025, 5, 10), "成员外出务工，自行解散", county)
    for i in range(5):
        make_filed(county, division=HUQIU, name=f"虎邱互助组{i + 1}", categories=["mutual_aid"],
                   service_targets=["left_behind"])
    for i in range(3):
        make_filed(cast["superuser"], division=FOREIGN_COMMUNITY, name=f"青秀外来组织{i + 1}",
                   categories=["charity"], service_targets=["disabled"])
    return cast
