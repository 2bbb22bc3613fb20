"""Every marked string has a French translation, none is fuzzy, and every translation keeps
its placeholders.

The test extracts the catalogue afresh (`makemessages -l fr`, the ignores of the README) into
a copy of `locale/`, so a string marked since the catalogue was last extracted counts as
untranslated, and lists every problem by message. KAM_I18N_APPS=accounts,templates,... limits
it to the messages used by those apps (the first folder of a `#:` reference; `templates` is the
shared templates folder); the default is every message.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import ROOT, require_service

from .catalogue import app_of, entries

LANGUAGE = "fr"
IGNORES = [".venv/*", "node_modules/*", "tests/*", "bench/*", "static/*"]


def _apps() -> set[str] | None:
    value = os.environ.get("KAM_I18N_APPS", "").strip()
    return {app.strip() for app in value.split(",") if app.strip()} or None


# The apps of the platform translation (issue #23, part 1): held complete at all times.
PLATFORM_APPS = {
    "templates",
    "accounts",
    "common",
    "kam",
    "notifications",
    "audit",
    "api",
    "integrations",
}


@pytest.fixture(scope="module")
def fresh_catalogue():
    """locale/ copied to a temporary folder in the project root, then re-extracted there.
    In the root because makemessages writes each file's messages to the first locale path
    whose parent folder holds that file; the real locale/ is never written."""
    require_service(shutil.which("xgettext") is not None, "gettext (xgettext) is not installed")
    scratch = Path(tempfile.mkdtemp(prefix=".i18n-check-", dir=ROOT))
    here = Path.cwd()
    try:
        if (ROOT / "locale").is_dir():
            shutil.copytree(ROOT / "locale", scratch, dirs_exist_ok=True)
        os.chdir(ROOT)
        # Two workers may run this fixture at once (its tests spread over pytest-xdist's
        # processes): makemessages writes and deletes a "page.html.py" beside each template, so
        # two runs at once trip over each other's files. One at a time, under a file lock.
        with (
            open(ROOT / ".i18n-check.lock", "w") as lock,
            override_settings(LOCALE_PATHS=[scratch]),
        ):
            fcntl.flock(lock, fcntl.LOCK_EX)
            call_command(
                "makemessages",
                locale=[LANGUAGE],
                # "locale": met in its walk, the real catalogue would be written instead.
                ignore_patterns=[*IGNORES, f"{scratch.name}/*", "locale"],
                verbosity=0,
            )
        yield scratch / LANGUAGE / "LC_MESSAGES" / "django.po"
    finally:
        os.chdir(here)
        shutil.rmtree(scratch, ignore_errors=True)


def missing_translations(po: Path, apps: set[str] | None) -> list[str]:
    problems = []
    for entry in entries(po):
        if not entry.msgid:
            continue
        if apps is not None and not {app_of(ref) for ref in entry.files} & apps:
            continue
        where = ", ".join(sorted(entry.files)[:3])
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.name()} ({where})")
        elif not entry.translated:
            problems.append(f"untranslated: {entry.name()} ({where})")
    return problems


def _report(problems: list[str]) -> str:
    return f"{len(problems)} messages without a French translation:\n" + "\n".join(problems)


def test_every_marked_string_has_a_french_translation(fresh_catalogue):
    problems = missing_translations(fresh_catalogue, _apps())
    assert not problems, _report(problems)


def test_the_platform_is_fully_translated(fresh_catalogue):
    problems = missing_translations(fresh_catalogue, PLATFORM_APPS)
    assert not problems, _report(problems)


def test_translations_keep_their_placeholders(fresh_catalogue):
    # msgfmt --check compares each python-format translation's placeholders with its msgid's
    # (and checks the header).
    msgfmt = shutil.which("msgfmt")
    require_service(msgfmt is not None, "gettext (msgfmt) is not installed")
    result = subprocess.run(  # noqa: S603 - fixed arguments, a file we wrote
        [msgfmt, "--check", "-o", os.devnull, str(fresh_catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
