"""Settings of the dashboard processes that tests/procs/ starts: the test settings, plus

- the cache's key prefix from CHATADMIN_TEST_KEY_PREFIX, so each test's processes share their
  Redis keys with each other and with nobody else (no flushing a database others may use);
- a response header naming the process that answered (X-Test-Worker-Pid), so a test can tell
  which gunicorn worker served each request.
"""

import os

from tests.settings import *  # noqa: F403
from tests.settings import CACHES, MIDDLEWARE

_prefix = os.environ.get("CHATADMIN_TEST_KEY_PREFIX", "")
if _prefix and "KEY_PREFIX" in CACHES["default"]:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": _prefix}}

MIDDLEWARE = ["tests.procs.middleware.worker_pid", *MIDDLEWARE]
