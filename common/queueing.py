"""Queueing Celery tasks from a page without hanging on a broker that is down.

The broker timeouts (CELERY_BROKER_TIMEOUT, a couple of seconds) bound how long a publish
waits; `enqueue` turns the broker's failure into False, so the caller can tell the user what
happened and leave nothing stuck. Call it after the commit (`transaction.on_commit`): a task
must never run before the rows it reads exist, nor for a step that was rolled back.
"""

import logging

from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Queue `task(*args)`; False, logged, when the broker does not take it. Errors of the task
    itself (in-process on the embedded default) are not caught."""
    try:
        task.delay(*args)
    except BrokerError:
        log.exception("The broker did not take task %s", task.name)
        return False
    return True
