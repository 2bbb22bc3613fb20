"""Candidate customers: saving one, its parent company, importing many."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.event_text import EventText
from accounts.models import Customer, Programme
from common.conflicts import bump_revision, lock_for_edit
from common.locks import serialise

from ..models import CriterionScore
from .scoring import RescoreResult, _active_criteria, customer_rescore, customers_rescore_all

# The source the history names when the caller names none (a file's name otherwise).
A_CUSTOMER_FILE = gettext_lazy("a customer file")

CUSTOMER_FIELDS = [
    "reference",
    "name",
    "sector",
    "country",
    "annual_revenue",
    "potential_spend",
    "notes",
]


@transaction.atomic
def customer_save(
    *, data: dict, acting_user, customer: Customer | None = None, revision: int | None = None
) -> Customer:
    """Create or change a candidate customer by hand. EditConflict if the customer moved on
    since `revision`."""
    creating = customer is None
    if creating:
        customer = Customer()
    else:
        customer = lock_for_edit(customer, revision)
        bump_revision(customer)
    for field in CUSTOMER_FIELDS:
        if field in data:
            setattr(customer, field, data[field])
    customer.full_clean()
    customer.save()
    if creating:
        customer_rescore(customer=customer)
    return customer


@transaction.atomic
def customer_parent_set(*, customer: Customer, parent: Customer | None, acting_user) -> Customer:
    """Put a customer under a parent company (a CRM's parent account), or take it out. A group
    may not end up owning itself."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    seen = {customer.pk}
    above = parent
    while above is not None:
        if above.pk in seen:
            raise ValidationError(
                {
                    "parent": _("%(parent)s already belongs to %(customer)s's group.")
                    % {"parent": parent.name, "customer": customer.name}
                }
            )
        seen.add(above.pk)
        above = above.parent
    if customer.parent_id != (parent.pk if parent else None):
        customer.parent = parent
        customer.save(update_fields=["parent", "updated_at"])
    return customer


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    scores_changed: int = 0  # customers whose selection scores the file changed
    rescore: RescoreResult | None = None


def customers_import_serialise() -> None:
    """Wait for any customer import running now and hold the import until this transaction
    ends (the confirm page also takes it, to see whether its file was imported meanwhile)."""
    serialise("strategy.customers_import")


@transaction.atomic
def customers_import(
    *, rows: list[dict], acting_user, source: str | Promise = A_CUSTOMER_FILE
) -> ImportResult:
    """Create or update customers from validated import rows, matched on `reference`, with
    their selection scores (`row["scores"]`: criterion id -> 1..5, or None for not scored; a
    criterion not in it keeps its scores), then re-score every customer the file changed. A
    customer field not in a row (its column is not in the file) is left as it is.

    Re-importing the same file updates the same customers; it never duplicates them. Rows must
    already be validated (strategy.customer_import does that); a criterion archived since the
    preview is refused. A fixed number of queries, plus one per removed score.

    Imports take turns (`customers_import_serialise`): a customer new in two files imported at
    the same moment is made once, and updated by the second."""
    customers_import_serialise()
    programme = Programme.current()
    active = {c.pk for c in _active_criteria(programme)} if programme.pk else set()
    named = {pk for row in rows for pk in row.get("scores", {})}
    if named - active:
        raise ValidationError(
            _("The selection criteria changed since the file was checked. Upload it again.")
        )
    references = [row["reference"] for row in rows]
    existing = {
        c.reference: c
        for c in Customer.objects.select_for_update().filter(reference__in=references)
    }
    now = timezone.now()
    to_create, to_update, unchanged = [], [], 0
    fields = [f for f in CUSTOMER_FIELDS if f != "reference"]
    for row in rows:
        # A column the file leaves out is not in the row: a new customer starts with the
        # field's default there, an existing one keeps what it has.
        customer = existing.get(row["reference"])
        if customer is None:
            to_create.append(Customer(**{f: row[f] for f in CUSTOMER_FIELDS if f in row}))
            continue
        given = [f for f in fields if f in row]
        if all(getattr(customer, f) == row[f] for f in given):
            continue
        for f in given:
            setattr(customer, f, row[f])
        customer.updated_at = now
        # A customer form opened before the import gets the edit conflict instead of writing
        # its older values over the file's.
        bump_revision(customer)
        to_update.append(customer)
    # In bulk, and still on record in the audit history (created / changed by the importer).
    bulk_create_with_history(to_create, Customer, batch_size=500, default_user=acting_user)
    ids = dict(Customer.objects.filter(reference__in=references).values_list("reference", "pk"))
    scored = _import_scores(rows=rows, ids=ids, acting_user=acting_user)
    # A customer whose scores the file changed moves its revision too: a scoring form left
    # open on it gets the edit conflict instead of overwriting the imported scores.
    updated_ids = {c.pk for c in to_update}
    for customer in existing.values():
        if customer.pk in scored and customer.pk not in updated_ids:
            bump_revision(customer)
            to_update.append(customer)
    bulk_update_with_history(
        to_update,
        Customer,
        [*fields, "updated_at", "revision"],
        batch_size=500,
        default_user=acting_user,
    )
    unchanged = len(existing) - len(to_update)
    rescore = customers_rescore_all(
        programme=programme,
        reason=EventText(gettext_noop("scores imported from %(source)s"), source=source),
        acting_user=acting_user,
    )
    return ImportResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=unchanged,
        scores_changed=len(scored),
        rescore=rescore,
    )


def _import_scores(*, rows: list[dict], ids: dict[str, int], acting_user) -> set[int]:
    """Write the rows' scores (new, changed, removed) with their history; returns the ids of
    the customers whose scores changed."""
    now = timezone.now()
    customer_ids = [ids[row["reference"]] for row in rows if row.get("scores")]
    criteria = {pk for row in rows for pk in row.get("scores", {})}
    stored = {
        (s.customer_id, s.criterion_id): s
        for s in CriterionScore.objects.filter(
            customer_id__in=customer_ids, criterion_id__in=criteria
        )
    }
    to_create, to_update, to_delete = [], [], []
    for row in rows:
        customer_id = ids[row["reference"]]
        for criterion_id, score in row.get("scores", {}).items():
            current = stored.get((customer_id, criterion_id))
            if score is None and current is not None:
                to_delete.append(current)
            elif score is not None and current is None:
                to_create.append(
                    CriterionScore(
                        customer_id=customer_id,
                        criterion_id=criterion_id,
                        score=score,
                        scored_by=acting_user,
                    )
                )
            elif score is not None and current.score != score:
                current.score, current.scored_by, current.scored_at = score, acting_user, now
                to_update.append(current)
    bulk_create_with_history(to_create, CriterionScore, batch_size=500, default_user=acting_user)
    bulk_update_with_history(
        to_update,
        CriterionScore,
        ["score", "scored_by", "scored_at"],
        batch_size=500,
        default_user=acting_user,
    )
    for score in to_delete:  # one by one, so that each removal is on record
        score.delete()
    return {s.customer_id for s in (*to_create, *to_update, *to_delete)}
