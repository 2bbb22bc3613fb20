"""The audit history's field (django-simple-history's HistoricalRecords) with its manager class
made once per model instead of once per use.

simple_history's descriptor (`Model.history`, read again for every history row a save writes)
builds a new manager class with `from_queryset` on each access: ~0.08 ms, twice per in-place
save of an action (bench/README.md, finding 40). `HistoryManager.from_queryset` here returns the
class it built the first time for the same queryset class; the manager instances (bound to their
row or model) are still made per access, as before.
"""

from __future__ import annotations

import functools

from simple_history import manager, models


class HistoryManager(manager.HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(models.HistoricalRecords):
    """`history = HistoricalRecords()` on a model, as simple_history's, with the manager above."""

    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)
