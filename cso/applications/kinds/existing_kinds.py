"""The kinds about an existing organization (issue 10, part 2)."""

from .change import CHANGE
from .deregistration import DEREGISTRATION
from .filing_cancel import FILING_CANCEL

EXISTING_KINDS = (CHANGE, DEREGISTRATION, FILING_CANCEL)
