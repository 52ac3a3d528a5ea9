"""Container health probe: GET /health/ on this machine, exit 0 only on 200.

Usage: python -m chatadmin.core.probe [port]. Uses the first ALLOWED_HOSTS entry as Host.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = sys.argv[1] if len(sys.argv) > 1 else "8000"
    host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip() or "localhost"
    request = urllib.request.Request(f"http://127.0.0.1:{port}/health/", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"health probe failed: {error}", file=sys.stderr)  # noqa: T201
        return 1


if __name__ == "__main__":
    sys.exit(main())
