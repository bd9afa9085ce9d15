"""Search keys for organization names: full pinyin and initials, so that ``laonian`` and
``lnxh`` both find 老年协会. Computed once when a name is saved (and by bulk loaders), never at
query time. And the normal form of a search term (``normalize_term``).
"""

import re
import unicodedata
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


# Full-width letters and digits (Ａ–Ｚ, ａ–ｚ, ０–９) and every kind of space, as an input method or
# a copied cell gives them, are the plain ones. Other characters stay as typed: NFKC would also
# turn the full-width brackets and commas of Chinese names（二）into ASCII ones, which the stored
# names do not have.
_SPACES = re.compile(r"\s+")
_SPACE_BY_WIDE = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")


def _plain(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if folded.isascii() and folded.isalnum() else ch


_FOLD = {cp: _plain(chr(cp)) for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


def normalize_term(text: str | None) -> str:
    """A search term as it is searched: full-width letters and digits folded (NFKC) to ASCII, any
    run of spaces (the ideographic one too) made one, none at either end or beside a Chinese
    character (names have none: “兴宁 社区” finds 兴宁社区), so that 老年 typed as “ 老 年 ” or an
    ＬＮＸＨ from a full-width input method finds what 老年 and lnxh find."""
    text = _SPACES.sub(" ", (text or "").translate(_FOLD)).strip()
    return _SPACE_BY_WIDE.sub("", text)
