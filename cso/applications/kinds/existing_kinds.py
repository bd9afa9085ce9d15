"""The kinds about an existing organization (issue 10, part 2)."""

from .change import CHANGE
from .deregistration import DEREGISTRATION

EXISTING_KINDS = (CHANGE, DEREGISTRATION)
