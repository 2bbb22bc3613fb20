"""`{% translate "constant" %}` worked out once per language instead of on every render.

A `{% translate %}` tag of a quoted string resolves its literal, looks it up in the catalogue,
localizes, escapes and restores its percent signs on every render: ~17 µs, and the plan page
draws 299 of them (~5 ms of its ~60 ms of CPU; the in-place save's row 8, finding 44). For a
tag with a constant message, no filter, no `as`, and no `context`, the result depends only on
the active language, the context's autoescaping and the catalogues, so each tag keeps it per
(catalogue generation, language, autoescape). Tags with a variable, a filter, `as` or a
message context render as Django renders them. A change of the settings that choose the
catalogues (a test's) starts a new generation.
"""

from __future__ import annotations

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Variable
from django.templatetags.i18n import TranslateNode
from django.utils.translation import get_language

_CATALOGUE_SETTINGS = {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}
_generation = 0


@receiver(setting_changed)
def _new_catalogues(setting, **kwargs) -> None:
    global _generation
    if setting in _CATALOGUE_SETTINGS:
        _generation += 1


def _constant(node: TranslateNode) -> bool:
    expression = node.filter_expression
    var = expression.var
    return (
        node.asvar is None
        and node.message_context is None
        and not expression.filters
        and isinstance(var, Variable)
        and var.lookups is None
        and isinstance(var.literal, str)
    )


def memoise_constant_translations() -> None:
    """Install the memo on Django's TranslateNode (once, at start-up: kam.apps)."""
    if getattr(TranslateNode, "_kam_memoised", False):
        return
    django_render = TranslateNode.render

    def render(self, context):
        memo = self.__dict__.get("_kam_memo")
        if memo is None:
            memo = self._kam_memo = {} if _constant(self) else False
        if memo is False:
            return django_render(self, context)
        key = (_generation, get_language(), context.autoescape)
        value = memo.get(key)
        if value is None:
            value = memo[key] = django_render(self, context)
        return value

    TranslateNode.render = render
    TranslateNode._kam_memoised = True
