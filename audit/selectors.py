"""Reading a change history — an account's or the programme's (`registry.History`, with the
subject its types are scoped to): one list over every recorded model, newest first.

How a page stays a fixed number of queries, however long the history:
1. the history rows of every tracked type are combined in the database with one
   `UNION ALL` of (history_date, type number, history_id) — each part filtered to the subject
   (and to the chosen type, person, change) — ordered and cut to the page with LIMIT/OFFSET;
   the paginator's count is one `COUNT(*)` over the same union;
2. the page's rows (25 at most) are then read in full per type present on the page: one
   query for the rows themselves (each annotated with the id of the same object's previous
   row, and whether a later row exists), one for those previous rows (for the field-by-field
   differences, computed only for the page), one for which of the objects still exist;
3. people and the objects that foreign keys point at are read once per related model for the
   whole page (users, criteria, stakeholders, ...).
So a page costs at most 3 queries per type shown plus one per related model, never one per
row, and the database sorts only keys, not whole rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy

from accounts.event_text import note_shown
from accounts.models import NOT_CLASSIFIED, KeyAccount
from common.formats import number
from planning.models import AccountPlan

from .field_labels import FIELD_LABELS
from .registry import History, Tracked

PAGE_SIZE = 25
TEXT_LIMIT = 400

# The history's Change column (French: one gender for every kind of item, the masculine).
CHANGE_TYPES = {
    "+": pgettext_lazy("history change", "Created"),
    "~": pgettext_lazy("history change", "Changed"),
    "-": pgettext_lazy("history change", "Deleted"),
}

# Bookkeeping, not content: never listed as a change.
HIDDEN_FIELDS = {
    "id",
    "revision",
    "section_revisions",
    "updated_at",
    "updated_by",
    "created_at",
    "scored_at",
    "scored_by",
    "sponsor_revision",
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One row of the history page."""

    when: datetime
    who: str
    type_key: str
    type_label: str
    name: str
    change: str  # Created / Changed / Deleted / Archived / Unarchived / Restored
    changes: list[FieldChange] = field(default_factory=list)
    note: str = ""
    link: str = ""
    object_id: int | None = None
    can_restore: bool = False
    restore_url: str = ""


class Lookups:
    """Objects that foreign keys point at, loaded once per related model for a whole page."""

    def __init__(self, zone: tzinfo | None = None):
        # The reader's time zone: dates and times in the changes are shown as their clock reads.
        self.zone = zone
        self.wanted: dict[type, set] = defaultdict(set)
        self.loaded: dict[type, dict] = {}

    def want(self, model, pk) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def want_fk(self, row, field_name: str) -> None:
        fk = row.instance_type._meta.get_field(field_name)
        self.want(fk.related_model, getattr(row, fk.attname))

    def load(self) -> None:
        for model, pks in self.wanted.items():
            queryset = model._default_manager.all()
            if model is KeyAccount:
                queryset = queryset.select_related("customer")
            self.loaded[model] = queryset.in_bulk(list(pks))

    def text(self, model, pk) -> str:
        if pk is None:
            return "—"
        obj = self.loaded.get(model, {}).get(pk)
        if obj is None:
            return gettext("deleted %(type)s #%(id)s") % {
                "type": model._meta.verbose_name,
                "id": pk,
            }
        if isinstance(obj, AccountPlan):  # its __str__ reads the account
            return gettext("plan %(period)s") % {"period": obj.period}
        return str(obj)

    def label(self, field_name: str, row) -> str:
        fk = row.instance_type._meta.get_field(field_name)
        return self.text(fk.related_model, getattr(row, fk.attname))


def _parts(history: History, subject, tracked, *, person: int | None, change: str):
    for spec in tracked:
        rows = spec.rows(subject)
        if person is not None:
            rows = rows.filter(history_user_id=person)
        if change:
            rows = rows.filter(history_type=change)
        number = Value(history.index[spec.key], output_field=IntegerField())
        yield rows.annotate(type_index=number)


def history_keys(
    history: History, subject, *, type_key: str = "", person: int | None = None, change=""
):
    """(history_date, type number, history_id) of every matching row, newest first: one
    UNION ALL query (and one COUNT(*) when paginated)."""
    by_key = history.by_key
    tracked = [by_key[type_key]] if type_key in by_key else list(history.tracked)
    parts = [
        rows.values_list("history_date", "type_index", "history_id")
        for rows in _parts(history, subject, tracked, person=person, change=change)
    ]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-history_date", "-type_index", "-history_id")


def history_people(history: History, subject) -> list:
    """People who changed something in this history (for the person filter): one UNION query
    for their ids, one for the users."""
    parts = [spec.rows(subject).values_list("history_user_id") for spec in history.tracked]
    ids = {pk for (pk,) in parts[0].union(*parts[1:]) if pk is not None}
    return list(get_user_model().objects.filter(pk__in=ids).order_by("first_name", "last_name"))


def _format(model_field, value, lookups: Lookups) -> str:
    if value == "" and model_field.name == "classification":
        return str(NOT_CLASSIFIED)  # a customer's class: the one wording, not a dash
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return lookups.text(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    # Dates, times and amounts the reader's way (month names, decimal comma in French).
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value, lookups.zone), "PADDED_DATE_COMMA_TIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "PADDED_DATE_FORMAT")
    if isinstance(value, Decimal):
        return number(value)
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"


def _load_rows(spec: Tracked, history_ids: list[int]):
    """The page's rows of one type, each with the id of the same object's previous row and
    whether a later row exists (two correlated subqueries: still one query)."""
    history = spec.history_model
    same_object = history.objects.filter(id=OuterRef("id")).order_by()
    at = OuterRef("history_date")
    earlier = same_object.filter(
        Q(history_date__lt=at) | Q(history_date=at, history_id__lt=OuterRef("history_id"))
    ).order_by("-history_date", "-history_id")
    later = same_object.filter(
        Q(history_date__gt=at) | Q(history_date=at, history_id__gt=OuterRef("history_id"))
    )
    return list(
        history.objects.filter(history_id__in=history_ids)
        .order_by()
        .annotate(
            previous_id=Subquery(earlier.values("history_id")[:1]),
            has_later=Exists(later),
        )
    )


def _diff(spec: Tracked, row, previous, lookups: Lookups) -> list:
    delta = row.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
    return [(spec.model._meta.get_field(c.field), c.old, c.new) for c in delta.changes]


@dataclass
class _LoadedPage:
    """The full rows behind one page of keys, and everything read alongside them."""

    lookups: Lookups = field(default_factory=Lookups)
    rows: dict[tuple[int, int], Any] = field(default_factory=dict)  # (type, history_id) -> row
    previous: dict[tuple[int, int], Any] = field(default_factory=dict)  # the row before it
    diffs: dict[tuple[int, int], list] = field(default_factory=dict)
    existing: dict[int, set] = field(default_factory=dict)  # type -> ids that still exist


def _page_keys(history: History, subject, page_number, **filters) -> tuple[Page, list]:
    """Filtering and paging: one page of (when, type number, history_id), newest first."""
    page = Paginator(history_keys(history, subject, **filters), PAGE_SIZE).get_page(page_number)
    return page, list(page.object_list)


def _load_type(spec: Tracked, type_index: int, history_ids: list[int], loaded: _LoadedPage):
    """One type's rows on the page, the rows before them, their differences and which of
    their objects still exist (three queries); related objects are only asked for."""
    user_model = get_user_model()
    lookups = loaded.lookups
    rows = _load_rows(spec, history_ids)
    previous_ids = [r.previous_id for r in rows if r.history_type == "~" and r.previous_id]
    earlier = (
        spec.history_model.objects.in_bulk(previous_ids, field_name="history_id")
        if previous_ids
        else {}
    )
    loaded.existing[type_index] = set(
        spec.model._default_manager.filter(pk__in={r.id for r in rows}).values_list("pk", flat=True)
    )
    for row in rows:
        key = (type_index, row.history_id)
        loaded.rows[key] = row
        lookups.want(user_model, row.history_user_id)
        for name in spec.name_fks:
            lookups.want_fk(row, name)
        before = earlier.get(row.previous_id)
        if before is None:
            continue
        loaded.previous[key] = before
        diff = loaded.diffs[key] = _diff(spec, row, before, lookups)
        for model_field, old, new in diff:
            if model_field.is_relation:
                lookups.want(model_field.related_model, old)
                lookups.want(model_field.related_model, new)


def _load_page(history: History, keys: list, zone: tzinfo | None) -> _LoadedPage:
    by_type: dict[int, list[int]] = defaultdict(list)
    for _when, type_index, history_id in keys:
        by_type[type_index].append(history_id)
    loaded = _LoadedPage(lookups=Lookups(zone))
    for type_index, history_ids in by_type.items():
        _load_type(history.tracked[type_index], type_index, history_ids, loaded)
    loaded.lookups.load()
    return loaded


def field_label(model_field) -> str:
    """The field's name as its forms call it, in the reader's language: a verbose name marked
    for translation comes translated; one Django made from the field's name ("held on") is
    looked up in the catalogue as the forms label it ("Held on")."""
    name = str(model_field.verbose_name)
    if name == model_field.name.replace("_", " "):  # no name of its own: Django's
        label = FIELD_LABELS.get(f"{model_field.model.__name__}.{model_field.name}")
        label = label or FIELD_LABELS.get(model_field.name)
        if label is not None:
            return str(label)
    return gettext(name[:1].upper() + name[1:])


def _field_changes(diff: list, lookups: Lookups) -> list[FieldChange]:
    return [
        FieldChange(
            label=field_label(f),
            old=_format(f, old, lookups),
            new=_format(f, new, lookups),
        )
        for f, old, new in diff
    ]


def _explain(entry: Entry, row, diff: list, *, has_previous: bool) -> None:
    """What kind of change the row is (archiving and restoring are saves too) and a note where
    the field list alone would mislead."""
    archived = next((d for d in diff if d[0].name == "archived_at"), None)
    if archived is not None:
        entry.change = (
            pgettext("history change", "Archived")
            if archived[2]
            else pgettext("history change", "Unarchived")
        )
    if row.history_change_reason:
        # Re-scoring notes are kept as message and values (accounts.event_text.note), a
        # restore's as the catalogue's English: both read in the reader's language; older
        # re-scoring notes of plain English as written.
        entry.note = note_shown(row.history_change_reason)
        if row.history_type == "+":
            entry.change = pgettext("history change", "Restored")
    elif row.history_type == "~" and not has_previous:
        entry.note = gettext("Earlier values are not on record (saved before history began).")
    elif row.history_type == "~" and not diff:
        entry.note = gettext("Saved again without a visible change.")


def _may_restore(history: History, spec: Tracked, row, *, exists: bool, can_restore: bool):
    """A deletion that is the object's last row, of a type that is restored, for a user who
    may restore, while the object is still gone."""
    return (
        row.history_type == "-"
        and not row.has_later
        and not exists
        and spec.restore is not None
        and can_restore
        and history.restore_url is not None
    )


def _entry(history: History, subject, key, loaded: _LoadedPage, *, can_restore: bool) -> Entry:
    when, type_index, history_id = key
    spec = history.tracked[type_index]
    row = loaded.rows[(type_index, history_id)]
    lookups = loaded.lookups
    entry = Entry(
        when=when,
        who=lookups.text(get_user_model(), row.history_user_id)
        if row.history_user_id
        else gettext("System (no user)"),
        type_key=spec.key,
        type_label=spec.label,
        name=spec.name(row, lookups),
        change=str(CHANGE_TYPES[row.history_type]),
        object_id=row.id,
    )
    diff = loaded.diffs.get((type_index, history_id), [])
    entry.changes = _field_changes(diff, lookups)
    _explain(entry, row, diff, has_previous=(type_index, history_id) in loaded.previous)
    exists = row.id in loaded.existing[type_index]
    if exists and spec.link is not None:
        entry.link = spec.link(subject, row)
    if _may_restore(history, spec, row, exists=exists, can_restore=can_restore):
        entry.can_restore = True
        entry.restore_url = history.restore_url(subject, spec, row.id)
    return entry


def history_page(
    history: History,
    subject,
    *,
    page_number=None,
    type_key: str = "",
    person: int | None = None,
    change: str = "",
    can_restore: bool = False,
    zone: tzinfo | None = None,
) -> tuple[Page, list[Entry]]:
    """One page of `subject`'s history as `Entry`s (see the module docstring for cost).
    `can_restore`: offer restore buttons where `history` allows restoring. `zone`: the
    reader's, in which the dates and times a change set are written (None: the current one)."""
    page, keys = _page_keys(
        history, subject, page_number, type_key=type_key, person=person, change=change
    )
    loaded = _load_page(history, keys, zone)
    entries = [_entry(history, subject, key, loaded, can_restore=can_restore) for key in keys]
    return page, entries


def latest_record(account: KeyAccount, spec: Tracked, object_id: int):
    """The newest history row of one object of this account, or None (another account's
    object, or never recorded)."""
    return spec.rows(account).filter(id=object_id).order_by("-history_date", "-history_id").first()


def record_name(spec: Tracked, row) -> str:
    """The name a history row gives its object (e.g. for the page about a removed item)."""
    lookups = Lookups()
    for name in spec.name_fks:
        lookups.want_fk(row, name)
    lookups.load()
    return spec.name(row, lookups)


def latest_programme_record(programme, spec: Tracked, object_id: int):
    """The newest history row of one programme-level object, or None."""
    return (
        spec.rows(programme).filter(id=object_id).order_by("-history_date", "-history_id").first()
    )
