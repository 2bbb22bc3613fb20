"""Links to other rows (foreign keys, many-to-many) read once on a save edited through a form.

A form's choice field reads the row picked through its allowed choices (the account's team,
the plan's objectives…); the model's own `full_clean` would read it again to see that it
exists (one query per link), and the service then checks it with its own rules. These helpers
let each row be read once: `LinkField` takes the row the edited item already holds, if it is the
one sent back; `LinksField` likewise for several links (the rows the form already read);
`LinksReadOnce` skips the model's check of a link the form read; `checked_elsewhere` tells a
service's `full_clean` which fields need no second look.

(Moved from planning.forms and planning.services.base, issue #22, so that the discovery forms
use the same; this module imports no app of the project.)
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet


class LinkField(forms.ModelChoiceField):
    """A link to another row. When the form sends back the row the item links to now, and the
    form's item was read with it (`loaded`), that row is taken as it is instead of being read
    again (one query per link): the form only sets `loaded` where the current link is always
    among the allowed choices, or the service checks it again (the owner's team)."""

    loaded = None

    def to_python(self, value):
        loaded = self.loaded
        if loaded is not None and value not in self.empty_values and str(value) == str(loaded.pk):
            return loaded
        return super().to_python(value)

    # Its queryset may be given as a function that builds it, called when the choices are
    # first read (drawn, or a value other than `loaded` checked): a save that sends back the
    # links it had and no customer owner never reads them, and building the four querysets of
    # an action's form was ~0.3 ms of each save (bench/README.md, finding 40).
    def _get_queryset(self):
        if callable(self._queryset) and not isinstance(self._queryset, QuerySet):
            self._queryset = self._queryset().all()
        return self._queryset

    def _set_queryset(self, queryset):
        if callable(queryset) and not isinstance(queryset, QuerySet):
            self._queryset = queryset
            # The widget's choices read the field's when drawn (a callable is kept lazy).
            self.widget.choices = lambda: self.choices
        else:
            super()._set_queryset(queryset)

    queryset = property(_get_queryset, _set_queryset)


class ChoicesAsRead(forms.models.ModelChoiceIterator):
    """A field's choices drawn from its queryset as the form already read it. Django's iterator
    reads the queryset again (`.iterator()`) even when it was read (`list(field.queryset)`,
    `if field.queryset`), so a form that looks at its choices before they are drawn (the
    meeting's: which customer attendees have no e-mail address, which lists are empty) read
    each list twice (bench/README.md, finding 58). Not read yet: Django's own."""

    def __iter__(self):
        if self.queryset._result_cache is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class LinksField(forms.ModelMultipleChoiceField):
    """Several links to other rows (a many-to-many). When every row sent back is among
    `loaded` — rows the form already read that are always among the allowed choices (the
    choices themselves once read, or the item's current links where those stay allowed, or
    the service checks them again) — they are taken as they are instead of being read again
    (one query for the field). Its choices are drawn from its queryset as the form read it,
    if it did (ChoicesAsRead)."""

    iterator = ChoicesAsRead
    loaded = None

    def _check_values(self, value):
        if self.loaded is not None:
            key = self.to_field_name or "pk"
            by_key = {str(getattr(row, key)): row for row in self.loaded}
            wanted = {str(v) for v in value}
            if wanted <= by_key.keys():
                return [row for k, row in by_key.items() if k in wanted]
        return super()._check_values(value)


def reuse_loaded_links(form, names: tuple[str, ...]) -> None:
    """Give each LinkField in `names` the object the form's item already holds, if it was read
    with the item (select_related), see LinkField."""
    instance = form.instance
    if instance.pk is None:
        return
    for name in names:
        field, model_field = form.fields.get(name), instance._meta.get_field(name)
        if isinstance(field, LinkField) and model_field.is_cached(instance):
            field.loaded = model_field.get_cached_value(instance)


class LinksReadOnce:
    """For a ModelForm: a link picked in a choice field was read through the field's allowed
    choices, so the model's own check that the row exists (one query per link) is skipped."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.update(
            name for name, field in self.fields.items() if isinstance(field, forms.ModelChoiceField)
        )
        return exclude


def checked_elsewhere(instance, fields: tuple[str, ...]) -> list[str]:
    """The fields `full_clean` need not check again (each check of a link is a query):

    - on an existing row, the fields this save does not write (they are the locked row's, as
      saved and checked before);
    - a link whose object is already on the instance with its id (the form's choice field
      read it through its allowed choices, or the service read it under a lock), so the row
      exists.

    A check constraint over skipped fields only is skipped as well; the database still
    enforces it."""
    skipped = []
    for field in instance._meta.concrete_fields:
        if not instance._state.adding and field.name not in fields:
            skipped.append(field.name)
        elif field.is_relation and field.many_to_one and field.is_cached(instance):
            related = field.get_cached_value(instance)
            if related is not None and related.pk is not None:  # None: checked, at no cost
                skipped.append(field.name)
    return skipped


# ---- many-to-many links as a read left them --------------------------------------------------
# Django keeps the rows `prefetch_related` read on the instance (`_prefetched_objects_cache`,
# which `.all()` then serves) and offers no public way to ask for them, hand them on or drop
# them: these three are the one place that touches it.


def prefetched(instance, name: str) -> list | None:
    """The rows of `instance`'s many-to-many `name` as a prefetch read them, or None if not
    read (`.all()` would then query)."""
    rows = getattr(instance, "_prefetched_objects_cache", {}).get(name)
    return None if rows is None else list(rows)


def forget_prefetched(instance, name: str) -> None:
    """The rows read for `name` are stale: the next `.all()` reads them again."""
    getattr(instance, "_prefetched_objects_cache", {}).pop(name, None)


def hand_prefetched(source, target, names: tuple[str, ...]) -> bool:
    """Give `target` (the same row, read again, e.g. under a lock) the links `source` was read
    with, if it was read with all of `names`; else `target` reads them itself. True if handed."""
    read = getattr(source, "_prefetched_objects_cache", {})
    if not all(name in read for name in names):
        return False
    target._prefetched_objects_cache = {name: read[name] for name in names}
    return True
