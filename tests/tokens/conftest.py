"""People for the token pages' tests: the clients pages' people, each signed in with Chat.

`chat_admin` (agent #1) and `chat_agent` (agent #3) hold their own stored Chat token; `support`
has none, while the account connection exists (so a call through it would be possible).
"""

from tests.clients.conftest import (
    as_admin,
    as_agent,
    as_support,
    chat_admin,
    chat_agent,
    support,
)

__all__ = ["as_admin", "as_agent", "as_support", "chat_admin", "chat_agent", "support"]
