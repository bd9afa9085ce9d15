"""The draw of random inspections (双随机一公开; 社会组织抽查暂行办法, 民发〔2017〕45号), pure and reproducible.

No database, no clock, no ``random`` module: the draw is a function of published inputs only, so anyone holding
the plan's seed and its population (the identifiers of the organizations, published with the plan) gets the same
sample on any machine and any database. The method (本平台建议), shown on the plan's public page:

    score(org)       = HMAC-SHA256(key = seed, message = "org:" + org_uid)            (hexadecimal)
    sample           = the n organizations with the smallest scores (ties: by org_uid)
    n                = ceil(rate % × population), never below the level's minimum rate
    score(inspector) = HMAC-SHA256(key = seed, message = "inspector:" + org_uid + ":" + inspector_key)
    site visit       = the first ceil(site_share % × n) organizations of the sample (in score order)
    inspectors       = for each site visit, inspectors in score order, skipping those who declared a
                       conflict with the organization (the skip and its reason are recorded), until enough

Every step sorts by strings: no database collation, no input order, no platform changes the outcome.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

DESK = "desk"
SITE = "site"
MIN_INSPECTORS_PER_VISIT = 2


class DrawError(ValueError):
    """The draw cannot be made as asked (in Chinese, shown to the user)."""


def score(seed: str, message: str) -> str:
    return hmac.new(seed.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def org_score(seed: str, uid: str) -> str:
    return score(seed, f"org:{uid}")


def inspector_score(seed: str, uid: str, inspector_key: str) -> str:
    return score(seed, f"inspector:{uid}:{inspector_key}")


def _fraction(percent) -> Fraction:
    return Fraction(str(Decimal(str(percent))))


def sample_size(population: int, rate_percent, min_rate_percent=0) -> int:
    """ceil(max(rate, minimum) % × population), at most the population."""
    if population <= 0:
        return 0
    rate = max(_fraction(rate_percent), _fraction(min_rate_percent))
    if rate <= 0:
        raise DrawError("抽查比例须大于0。")
    return min(population, math.ceil(rate * population / 100))


@dataclass(frozen=True)
class Skip:
    inspector: str
    reason: str


@dataclass(frozen=True)
class DrawnTarget:
    uid: str
    rank: int  # 1 = the smallest score
    score: str
    method: str  # DESK / SITE
    inspectors: tuple[str, ...] = ()
    skipped: tuple[Skip, ...] = ()


@dataclass(frozen=True)
class DrawResult:
    population: int
    size: int
    targets: tuple[DrawnTarget, ...] = field(default_factory=tuple)

    @property
    def uids(self) -> list[str]:
        return [t.uid for t in self.targets]


def draw(
    seed: str,
    population: Iterable[str],
    rate_percent,
    *,
    min_rate_percent=0,
    site_share_percent=100,
    inspectors: Iterable[str] = (),
    conflicts: Mapping[str, Mapping[str, str]] | None = None,
    per_visit: int = MIN_INSPECTORS_PER_VISIT,
) -> DrawResult:
    """Draw the sample of ``population`` (organization uids) and the inspectors of its site visits.

    ``conflicts`` maps an organization uid to {inspector key: declared reason}. Raises ``DrawError`` when the
    pool cannot staff a site visit with ``per_visit`` unconflicted inspectors.
    """
    if not seed:
        raise DrawError("缺少随机种子。")
    if per_visit < MIN_INSPECTORS_PER_VISIT:
        raise DrawError(f"实地检查的检查人员不得少于{MIN_INSPECTORS_PER_VISIT}名。")
    uids = sorted(set(population))
    pool = sorted(set(inspectors))
    conflicts = conflicts or {}
    n = sample_size(len(uids), rate_percent, min_rate_percent)
    ranked = sorted(uids, key=lambda uid: (org_score(seed, uid), uid))[:n]
    site_count = math.ceil(_fraction(site_share_percent) * n / 100) if n else 0
    targets = []
    for rank, uid in enumerate(ranked, start=1):
        method = SITE if rank <= site_count else DESK
        chosen: list[str] = []
        skipped: list[Skip] = []
        if method == SITE:
            declared = conflicts.get(uid, {})
            for key in sorted(pool, key=lambda k: (inspector_score(seed, uid, k), k)):
                if len(chosen) == per_visit:
                    break
                if key in declared:
                    skipped.append(Skip(key, declared[key] or "已申报回避"))
                    continue
                chosen.append(key)
            if len(chosen) < per_visit:
                raise DrawError(
                    f"检查人员不足：第{rank}个抽中的组织需要{per_visit}名无须回避的检查人员，"
                    f"检查人员名录中只有{len(chosen)}名。请先补充检查人员名录。")
        targets.append(DrawnTarget(uid, rank, org_score(seed, uid), method, tuple(chosen), tuple(skipped)))
    return DrawResult(population=len(uids), size=n, targets=tuple(targets))


def compare(recorded: Iterable[tuple[str, str, tuple[str, ...]]], result: DrawResult) -> list[str]:
    """Differences between a recorded sample [(uid, method, inspectors)] and a recomputed one (Chinese lines)."""
    recorded = list(recorded)
    problems = []
    expected = [(t.uid, t.method, tuple(sorted(t.inspectors))) for t in result.targets]
    got = [(uid, method, tuple(sorted(inspectors))) for uid, method, inspectors in recorded]
    if [e[0] for e in expected] != [g[0] for g in got]:
        problems.append(f"抽中的组织不一致：重新计算得到{len(expected)}个，记录为{len(got)}个。")
    for e, g in zip(expected, got, strict=False):
        if e[0] == g[0] and e[1] != g[1]:
            problems.append(f"组织{e[0]}的检查方式不一致。")
        if e[0] == g[0] and e[2] != g[2]:
            problems.append(f"组织{e[0]}的检查人员不一致。")
    return problems
