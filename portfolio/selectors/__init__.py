"""Reads for the directors' and executives' portfolio dashboard, one module per topic:

- `scope`: which accounts a user sees (`portfolio_scope`) and the filters that narrow them;
- `health`: plan health buckets, their counts and the health filter;
- `table`: the health table (one row per account, sorted and paged);
- `pipeline`: opportunities by quarter;
- `performance`: revenue and profit against target, concentration, lifetime value;
- `programme`: the programme overview, classes × stages, manager workload, approvals waiting;
- `matrix`: the key account matrix marks;
- `targets`: target attainment (CSV);
- `dashboard`: the whole page and the health CSV, built from the above;
- `base`: helpers the topics share (money field, cache, team member by role, latest
  measurement).

Everything starts from `portfolio_scope(user=...)`: the active key accounts a director directs,
or every active key account for an executive. Filters only ever narrow that queryset.

Aggregations run in the database (annotate / aggregate / values + Count / Sum, Subquery for the
latest rows). Python loops only over the page of the health table (25 rows), the plotted matrix
marks, and small aggregate rows (quarters, classes × stages, managers). Plan health is
planning's Python rules; their result is stored on each plan (`AccountPlan.health_score`,
refreshed nightly and after every change), so health buckets, the health filter and the health
sort are database work too. The net profit list behind the concentration curve is the one
per-account column read into Python.
"""

from .dashboard import dashboard, health_export, performance_export
from .scope import PortfolioFilters, portfolio_scope
from .targets import target_attainment

__all__ = [
    "PortfolioFilters",
    "dashboard",
    "health_export",
    "performance_export",
    "portfolio_scope",
    "target_attainment",
]
