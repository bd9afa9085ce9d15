"""Settings of the test suite: the production settings (debug off) served over plain http.

The test client and the browser tests' live server speak http, so the HTTPS redirect, HSTS and
secure-only cookies are off here (``CSO_HTTPS=0``). Their production defaults are tested against
``cso.settings`` itself (cso/core/tests/test_deploy_settings.py) and by ``manage.py check --deploy``.
"""

import os

os.environ.setdefault("CSO_HTTPS", "0")

from cso.settings import *  # noqa: F403
