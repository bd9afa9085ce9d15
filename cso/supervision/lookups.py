"""Search-as-you-type sources of supervision (cso.core.lookups): the streets (乡级) a clean-up campaign's case may be
reassigned to — those of the account's subtree, which for the body that launched the campaign is the campaign's area
(the view checks the area again)."""

from cso.core.lookups import Lookup, register
from cso.regions import codes
from cso.regions.lookups import _search, division_label
from cso.regions.models import Division


def _streets(user):
    return Division.objects.visible_to(user).current().filter(level=codes.STREET).select_related("parent")


register(Lookup("supervision.streets", queryset=_streets, search=_search, label=division_label, value="code",
                order_by=("code",)))
