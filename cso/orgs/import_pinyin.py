"""The pinyin worker of the organization import (``python -m cso.orgs.import_pinyin``).

Reads batches of names, one JSON list per line, on stdin, and writes their search keys
(``cso.orgs.search.pinyin_keys``: [[pinyin, initials], …]) as one JSON list per line on stdout, until
stdin closes. It imports no Django and touches no database: the dry run of a large file sends its
names here so the keys are computed on the second core while it goes on checking rows.
"""

import json
import sys

from cso.orgs.search import pinyin_keys


def main() -> None:
    for line in sys.stdin:
        names = json.loads(line)
        sys.stdout.write(json.dumps([pinyin_keys(n) for n in names], ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
