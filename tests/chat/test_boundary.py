"""Only chatadmin/chat talks HTTP: no other module in chatadmin imports requests or urllib3."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "chatadmin"
ALLOWED = PACKAGE / "chat"
HTTP_LIBRARIES = {"requests", "urllib3"}


def http_imports(source: str) -> list[str]:
    """The HTTP libraries a module imports, at any depth (functions included)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in HTTP_LIBRARIES]
    return found


def test_the_scan_sees_every_form_of_import() -> None:
    source = (
        "import requests\nfrom urllib3.util import Retry\ndef f():\n    import requests.adapters\n"
    )

    assert http_imports(source) == ["requests", "urllib3.util", "requests.adapters"]
    assert http_imports("import urllib.request\nfrom requestsplus import x\n") == []


def test_only_the_chat_package_imports_http_libraries() -> None:
    offenders = {
        str(path.relative_to(PACKAGE.parent)): imports
        for path in sorted(PACKAGE.rglob("*.py"))
        if not path.is_relative_to(ALLOWED)
        and (imports := http_imports(path.read_text(encoding="utf-8")))
    }

    assert offenders == {}, "Call the Chat API through chatadmin.chat instead."


def test_the_chat_package_is_scanned_too() -> None:
    transport = ALLOWED / "transport.py"

    assert "requests" in http_imports(transport.read_text(encoding="utf-8"))
