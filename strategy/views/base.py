"""What the strategy pages share: paging, the strategy flags, and how a rescoring is told."""

from django.utils.translation import ngettext

from accounts import permissions
from accounts.models import NOT_CLASSIFIED, classification_label
from common.formats import labelled

from .. import services

PAGE_SIZE = 25
RESCORE_NAMES_SHOWN = 5


def _strategy_context(user, **extra) -> dict:
    # The one wording for a customer without a class (accounts.models.NOT_CLASSIFIED).
    return {**permissions.strategy_flags(user), "not_classified": NOT_CLASSIFIED, **extra}


def _rescore_message(result: services.RescoreResult) -> str:
    """What a change of weights, axes or thresholds did, as the user is told it: the numbers
    the service counted, and the customers whose class moved (the first few by name)."""
    text = result.summary()
    if result.class_changes:
        shown = [
            f"{c.customer.name} ({classification_label(c.old)} → {classification_label(c.new)})"
            for c in result.class_changes[:RESCORE_NAMES_SHOWN]
        ]
        more = len(result.class_changes) - len(shown)
        text = labelled(text, ", ".join(shown))
        if more > 0:
            text += " " + ngettext("and %(count)s more", "and %(count)s more", more) % {
                "count": more
            }
    return text + "."
