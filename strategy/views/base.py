"""What the strategy pages share: paging, the strategy flags, and how a rescoring is told."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import permissions
from accounts.models import Classification
from common.formats import labelled

from .. import services

PAGE_SIZE = 25
RESCORE_NAMES_SHOWN = 5


def _strategy_context(user, **extra) -> dict:
    return {**permissions.strategy_flags(user), **extra}


def _rescore_message(result: services.RescoreResult) -> str:
    """What a change of weights, axes or thresholds did, as the user is told it: the numbers
    the service counted, and the customers whose class moved (the first few by name)."""
    text = result.summary()
    if result.class_changes:
        shown = [
            f"{c.customer.name} ({_class_label(c.old)} → {_class_label(c.new)})"
            for c in result.class_changes[:RESCORE_NAMES_SHOWN]
        ]
        more = len(result.class_changes) - len(shown)
        text = labelled(text, ", ".join(shown))
        if more > 0:
            text += " " + ngettext("and %(count)s more", "and %(count)s more", more) % {
                "count": more
            }
    return text + "."


def _class_label(value: str) -> str:
    return Classification(value).label if value else _("not classified")
