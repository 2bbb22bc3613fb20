"""What the notification services announce, so that they never import the Celery tasks that
call them (tasks call services, never the other way round).

`emails_waiting` is sent after the commit that wrote e-mails into the outbox, with the ids of
their notifications; `notifications.tasks` answers it by queueing the task that sends them.
"""

from django.dispatch import Signal

emails_waiting = Signal()  # ids: list[int]
