"""Search keys for organization names: full pinyin and initials, so that ``laonian`` and
``lnxh`` both find 老年协会. Computed once when a name is saved (and by bulk loaders), never at
query time.
"""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin without separators, initials), lower case; other characters kept as typed.

    Heteronyms take pypinyin's phrase-aware reading (银行 → yinhang, 重庆 → chongqing).
    """
    name = (name or "").strip()
    syllables = lazy_pinyin(name, errors="default")
    full = "".join(syllables).lower().replace(" ", "")
    initials = "".join(
        s[0] for s in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default") if s
    ).lower().replace(" ", "")
    return full[:600], initials[:200]
