"""Search keys for organization names: full pinyin and initials, so that ``laonian`` and
``lnxh`` both find 老年协会. Computed once when a name is saved (and by bulk loaders), never at
query time.
"""

from functools import lru_cache

from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.core import Pinyin

# What ``pypinyin.lazy_pinyin(name, errors="default")`` does, in its two steps: segment the name
# (phrase-aware: 银行 → yinhang, 重庆 → chongqing), then convert each segment on its own. The
# segments of organization names repeat a lot (协会, 社区, 志愿服务队, community names), so the
# conversion of a segment is cached; the result is the same as lazy_pinyin's.
_PINYIN = Pinyin(UltimateConverter(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False))


@lru_cache(maxsize=65536)
def _segment(word: str) -> tuple[str, ...]:
    return tuple(p[0] for p in _PINYIN._converter.convert(word, Style.NORMAL, False, "default", strict=True))


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin without separators, initials), lower case; other characters kept as typed.

    Heteronyms take pypinyin's phrase-aware reading (银行 → yinhang, 重庆 → chongqing). The
    initials are the first letters of the Chinese syllables, while runs that are not Chinese
    (digits, Latin letters) pass through whole in both keys.
    """
    name = (name or "").strip()
    full_parts: list[str] = []
    initials: list[str] = []
    for word in _PINYIN.seg(name):
        for part in _segment(word):
            token = part.lower().replace(" ", "")
            if not token:
                continue
            full_parts.append(token)
            initials.append(token if part in name else token[0])
    return "".join(full_parts)[:600], "".join(initials)[:200]
