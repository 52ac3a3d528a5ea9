"""Production static files: the hashed names from the manifest, each looked up once."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.management import call_command

from chatadmin.core.storage import StaticFilesStorage

PRODUCTION = "chatadmin.core.storage.StaticFilesStorage"


def test_production_uses_this_storage() -> None:
    source = (Path(settings.BASE_DIR) / "chatadmin" / "settings.py").read_text()
    assert f'else "{PRODUCTION}"' in source


@pytest.fixture
def collected(tmp_path: Path, settings: pytest.FixtureRequest) -> StaticFilesStorage:
    settings.STATIC_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": PRODUCTION},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    return StaticFilesStorage(location=str(tmp_path))


def test_a_url_is_the_hashed_name_read_from_the_manifest_once(
    collected: StaticFilesStorage,
) -> None:
    with mock.patch.object(
        ManifestFilesMixin, "stored_name", autospec=True, side_effect=ManifestFilesMixin.stored_name
    ) as lookups:
        first = collected.url("css/app.css")
        again = collected.url("css/app.css")

    assert first == again
    assert first.startswith(settings.STATIC_URL + "css/app.") and first.endswith(".css")
    assert first != settings.STATIC_URL + "css/app.css"  # the hashed name, not the plain one
    assert lookups.call_count == 1
    # An unknown file still fails as with the manifest storage (nothing kept for it).
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        collected.url("css/no-such-file.css")
