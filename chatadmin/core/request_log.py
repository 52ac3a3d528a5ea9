"""The development server's request log without query strings, as gunicorn's access log is.

OAuth codes, states and tokens travel in query strings (the Chat sign-in and connection
callbacks, the token wizard's landing page), so `runserver` (which `rundemo` and `runsandbox`
use) must not write them out. Its `django.server` logger gets this filter in LOGGING.
"""

from __future__ import annotations

import logging
import re

# A "?" and what follows it up to the next space or quote: the query of a logged request line
# ("GET /callback/?code=... HTTP/1.1"), also when quoted inside an error message.
_QUERY = re.compile(r"\?[^\s\"']*")


def without_query(text: str) -> str:
    """The text with every URL query string left out."""
    return _QUERY.sub("", text)


class QueryStringsDropped(logging.Filter):
    """Take query strings out of the arguments of `django.server` records (the request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                without_query(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.msg, str) and not record.args:
            record.msg = without_query(record.msg)
        return True
