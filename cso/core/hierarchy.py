"""The shape of the division hierarchy that scoping relies on: fixed-length codes, one prefix per level.

A statistical division code has 12 digits: province 1–2, prefecture 3–4, county 5–6, township 7–9,
village 10–12. A division's subtree is every code that starts with its prefix; because all codes have
the same length and only digits, the subtree is also the closed range ``[prefix000…, prefix999…]``,
which every database answers from the primary-key index. The other rules about codes (validation,
unit types, urban–rural classes) live in ``cso.regions.codes``, which re-exports these names.
"""

CODE_LENGTH = 12
PROVINCE, CITY, COUNTY, STREET, COMMUNITY = 1, 2, 3, 4, 5
LEVELS = (PROVINCE, CITY, COUNTY, STREET, COMMUNITY)
PREFIX_LENGTH = {PROVINCE: 2, CITY: 4, COUNTY: 6, STREET: 9, COMMUNITY: 12}


def subtree_bounds(prefix: str) -> tuple[str, str]:
    """Closed range of 12-digit codes that start with ``prefix``."""
    pad = CODE_LENGTH - len(prefix)
    return prefix + "0" * pad, prefix + "9" * pad
