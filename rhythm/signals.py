"""What the rhythm services announce, so that they never import the Celery tasks that call
them (tasks call services, never the other way round).

`export_waiting` (export) is sent after the commit that asked for a bulk export;
`rhythm.tasks` answers it by queueing the build. The app connects it when it is ready.
"""

from django.dispatch import Signal

export_waiting = Signal()
