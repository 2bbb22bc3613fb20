"""The WSGI entry point starts a worker settled: views imported, start-up objects frozen."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
before = gc.get_freeze_count()
import kam.wsgi
print(before, gc.get_freeze_count(), callable(kam.wsgi.application),
      "planning.views.page" in sys.modules)
"""


def test_a_worker_imports_the_views_and_freezes_what_start_up_made():
    # In a process of its own: freezing this test process's objects would outlive the test.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kam.settings"}
    out = subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    before, after, is_app, views_loaded = out
    assert before == "0"
    assert int(after) > 50_000  # Django, the apps and their modules
    assert is_app == "True"
    assert views_loaded == "True"
