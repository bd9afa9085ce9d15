from datetime import date

from cso.orgs import services
from cso.orgs.history import field_changes

from .factories import COMMUNITY_2, make_filed


def test_every_field_change_is_kept_with_who_when_and_old_and_new_values(cast):
    org = make_filed(cast["street"], name="兴宁社区舞蹈队", categories=["culture_sports"])
    services.update_organization(org, {"name": "兴宁社区红棉舞蹈队", "division": COMMUNITY_2}, cast["street"],
                                 effective_date=date(2024, 1, 1), reason="更名并迁址")
    services.update_organization(org, {"categories": ["culture_sports", "charity"]}, cast["street"])
    changes = field_changes(org)
    by_field = {c.field: c for c in changes}
    assert by_field["name"].old == "兴宁社区舞蹈队"
    assert by_field["name"].new == "兴宁社区红棉舞蹈队"
    assert by_field["name"].who == cast["street"].display_name
    assert by_field["name"].reason == "更名并迁址"
    assert by_field["name"].label == "名称"
    assert (by_field["division"].old, by_field["division"].new) == ("兴宁社区居委会", "北宁社区居委会")
    assert by_field["categories"].old == "文体娱乐"
    assert by_field["categories"].new == "公益慈善、文体娱乐"
    assert by_field["categories"].who == cast["street"].display_name


def test_a_status_change_shows_in_the_field_history_with_its_reason(cast):
    org = make_filed(cast["street"])
    services.change_status(org, "abnormal", date(2024, 1, 1), "半年未开展活动", cast["street"])
    change = next(c for c in field_changes(org) if c.field == "status")
    assert (change.old, change.new, change.reason) == ("正常", "活动异常", "半年未开展活动")
