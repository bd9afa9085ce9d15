"""Private files (the materials of applications): stored outside the web root, never served by a URL of
their own — only a view that has checked who asks may stream one.

Files live under ``CSO_PRIVATE_MEDIA_ROOT`` (default ``<BASE_DIR>/var/private-media``) in
``<area>/<first two characters>/<stored name>``. The stored name is random (``secrets.token_hex``) plus
the extension of the sniffed type; a path is only ever built from a stored name that matches
``STORED_NAME`` — never from anything a user sent. Writes are atomic: a temporary file in the same
directory, flushed to disk, then renamed.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation

STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")
AREA = re.compile(r"^[a-z]{1,20}$")


def root() -> Path:
    configured = getattr(settings, "CSO_PRIVATE_MEDIA_ROOT", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "private-media"


def new_name(extension: str) -> str:
    name = f"{secrets.token_hex(16)}{extension.lower()}"
    if not STORED_NAME.match(name):
        raise SuspiciousFileOperation(f"bad extension {extension!r}")
    return name


def path_for(area: str, stored_name: str) -> Path:
    """The file's path, from the area and the random stored name only."""
    if not AREA.match(area or "") or not STORED_NAME.match(stored_name or ""):
        raise SuspiciousFileOperation("not a stored name")
    base = root().resolve()
    path = (base / area / stored_name[:2] / stored_name).resolve()
    if base not in path.parents:
        raise SuspiciousFileOperation("outside the private root")
    return path


def write(area: str, extension: str, data: bytes) -> str:
    """Store ``data`` atomically under a new random name; returns the stored name."""
    name = new_name(extension)
    path = path_for(area, name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return name


def delete(area: str, stored_name: str) -> None:
    path_for(area, stored_name).unlink(missing_ok=True)


def open_file(area: str, stored_name: str):
    return path_for(area, stored_name).open("rb")


def inside(path: Path, other) -> bool:
    """Whether ``path`` is ``other`` or lies below it (for the system check)."""
    if not other:
        return False
    a, b = Path(path).resolve(), Path(other).resolve()
    return a == b or b in a.parents
