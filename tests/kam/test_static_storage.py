"""Static file addresses in real mode (kam.storage): worked out once per process, from the
manifest collectstatic wrote; a name missing from it still fails loudly."""

import json

import pytest

from kam.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "x", "paths": {"css/kam.css": "css/kam.1a2b.css"}})
    )
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_an_address_comes_from_the_manifest_and_is_kept(storage, monkeypatch):
    assert storage.url("css/kam.css") == "/static/css/kam.1a2b.css"
    monkeypatch.setattr(storage, "stored_name", lambda name: pytest.fail("worked out again"))
    assert storage.url("css/kam.css") == "/static/css/kam.1a2b.css"


def test_a_new_manifest_replaces_the_kept_addresses(storage):
    assert storage.url("css/kam.css") == "/static/css/kam.1a2b.css"
    storage.hashed_files = {"css/kam.css": "css/kam.3c4d.css"}  # collectstatic in this process
    assert storage.url("css/kam.css") == "/static/css/kam.3c4d.css"


def test_a_name_missing_from_the_manifest_fails_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("js/nowhere.js")


def test_debug_mode_serves_the_plain_name(storage, settings):
    settings.DEBUG = True
    assert storage.url("css/kam.css") == "/static/css/kam.css"
