"""System check: the materials of applications must not be reachable as static or media files."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from cso.core import privatefiles


@register()
def private_media_outside_public_roots(app_configs=None, **kwargs):
    root = privatefiles.root()
    public = [("STATIC_ROOT", getattr(settings, "STATIC_ROOT", None)),
              ("MEDIA_ROOT", getattr(settings, "MEDIA_ROOT", None))]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        public.append(("STATICFILES_DIRS", entry[1] if isinstance(entry, (list, tuple)) else entry))
    errors = []
    for name, path in public:
        if path and (privatefiles.inside(root, path) or privatefiles.inside(path, root)):
            errors.append(Error(
                f"CSO_PRIVATE_MEDIA_ROOT ({root}) overlaps {name} ({path}): applicants' materials would be served "
                "to anyone.",
                hint="Point CSO_PRIVATE_MEDIA_ROOT at a directory outside the web root, STATIC_ROOT and MEDIA_ROOT.",
                id="applications.E002",
            ))
    return errors
