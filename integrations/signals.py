"""What the integrations services announce, so that they never import the Celery tasks that
call them (tasks call services, never the other way round). `integrations.tasks` answers each
by queueing its task; the app connects them when it is ready.

- `deliveries_waiting` (delivery_ids): new webhook deliveries, after the commit that made them.
- `delivery_retry_due` (delivery_id, countdown): a failed attempt to try again in `countdown`
  seconds.
- `import_waiting` (run_id): a confirmed CRM import too large to apply inline, after the commit.
"""

from django.dispatch import Signal

deliveries_waiting = Signal()
delivery_retry_due = Signal()
import_waiting = Signal()
