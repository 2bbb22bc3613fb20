"""A test-only pause point for the crash tests (tests/rhythm/test_worker_crash.py).

`checkpoint("name")` does nothing unless the setting KAM_TEST_STALL_AT names this point: then
it writes KAM_TEST_STALL_FILE (so the test knows the worker got there) and waits until the test
kills the worker with `kill -9`. That makes the kill land between two known steps of a job
instead of wherever a timer happens to fall. Real installations leave the setting empty.
"""

import time
from pathlib import Path

from django.conf import settings


def checkpoint(name: str) -> None:
    if not settings.KAM_TEST_STALL_AT or settings.KAM_TEST_STALL_AT != name:
        return
    if settings.KAM_TEST_STALL_FILE:
        Path(settings.KAM_TEST_STALL_FILE).write_text(name)
    time.sleep(3600)
