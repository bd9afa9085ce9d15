"""The kinds about an existing organization (issue 10, part 2)."""

from .change import CHANGE

EXISTING_KINDS = (CHANGE,)
