"""The sandbox's password hasher."""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class SandboxPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 at 100,000 rounds instead of Django 6.1's 1,500,000.

    The sandbox holds throwaway demo passwords, and on Legacy Chat-only accounts it checks a
    basic-auth password on every API request, as the real API does: at 1.5M rounds that is
    0.4 s per request on a 2-core machine, which would make the sandbox useless for tests.
    """

    iterations = 100_000
