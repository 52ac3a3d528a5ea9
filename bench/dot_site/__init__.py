"""A throwaway site for bench/speed.py: Django OAuth Toolkit's application list, a bare view.

It runs only in the bench's own virtualenv (var/bench/dot-venv, made by bench/speed.py with
uv), never in chatadmin's: django-oauth-toolkit is no dependency of the product. Settings
match chatadmin's production ones where they matter for speed: DEBUG off, PostgreSQL with
persistent connections, Redis for the cache and cached_db sessions.
"""
