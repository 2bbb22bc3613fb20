"""Reactions to earlier stages' signals (they never import planning)."""

from .services import plan_archive_current


def archive_plan_on_deselection(sender, *, account, acting_user=None, reason: str = "", **kwargs):
    """A de-selected key account keeps its plan history, but no current plan."""
    plan_archive_current(
        account=account,
        acting_user=acting_user,
        reason=reason or "The account was de-selected.",
    )
