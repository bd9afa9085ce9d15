"""Search keys for organization names: full pinyin and initials, so that ``laonian`` and
``lnxh`` both find 老年协会. Computed once when a name is saved (and by bulk loaders), never at
query time.
"""

from functools import lru_cache

from pypinyin import lazy_pinyin


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin without separators, initials), lower case; other characters kept as typed.

    Heteronyms take pypinyin's phrase-aware reading (银行 → yinhang, 重庆 → chongqing). pypinyin is
    called once: the initials are the first letters of the Chinese syllables, while runs that are
    not Chinese (digits, Latin letters) pass through whole in both keys.
    """
    name = (name or "").strip()
    full_parts: list[str] = []
    initials: list[str] = []
    for part in lazy_pinyin(name, errors="default"):
        token = part.lower().replace(" ", "")
        if not token:
            continue
        full_parts.append(token)
        initials.append(token if part in name else token[0])
    return "".join(full_parts)[:600], "".join(initials)[:200]
