"""Exports in each CRM's shape, with its ids where a row came from it and ours elsewhere."""

from __future__ import annotations

from accounts.countries import english_name
from accounts.models import Customer
from discovery.models import Stakeholder
from opportunities.models import Opportunity

from ..models import ExternalRef, ObjectType, Source
from .columns import SHAPES


def _ids_for(source: str, object_type: str) -> dict[int, str]:
    return dict(
        ExternalRef.objects.filter(source=source, object_type=object_type).values_list(
            "local_id", "external_id"
        )
    )


def export_rows(*, source: str, object_type: str) -> tuple[list[str], list[list]]:
    """Header and rows of an export in `source`'s shape (a fixed number of queries)."""
    names = SHAPES[source][object_type]
    header = [names[f][0] for f in names]
    account_ids = _ids_for(source, ObjectType.ACCOUNT)
    customer_refs = dict(Customer.objects.values_list("pk", "reference"))

    def account_key(customer_id):
        return account_ids.get(customer_id) or customer_refs.get(customer_id, "")

    rows: list[list] = []
    if object_type == ObjectType.ACCOUNT:
        for c in Customer.objects.order_by("name", "pk"):
            values = {
                "external_id": account_key(c.pk),
                "name": c.name,
                "parent_id": account_key(c.parent_id) if c.parent_id else "",
                "industry": c.sector,
                "country": english_name(c.country),
            }
            rows.append([values[f] for f in names])
    elif object_type == ObjectType.CONTACT:
        ids = _ids_for(source, ObjectType.CONTACT)
        people = Stakeholder.objects.filter(archived_at__isnull=True).select_related("key_account")
        for s in people.order_by("key_account_id", "name", "pk"):
            first, _, last = s.name.rpartition(" ")
            values = {
                "external_id": ids.get(s.pk, f"KAM-S{s.pk}"),
                "account_id": account_key(s.key_account.customer_id),
                "first_name": first,
                "last_name": last,
                "title": s.title,
                "email": s.email,
                "department": s.department,
                "reports_to_id": ids.get(s.reports_to_id, f"KAM-S{s.reports_to_id}")
                if s.reports_to_id
                else "",
            }
            rows.append([values[f] for f in names])
    else:
        ids = _ids_for(source, ObjectType.OPPORTUNITY)
        stage_names = {
            Source.SALESFORCE: {"won": "Closed Won", "lost": "Closed Lost"},
            Source.HUBSPOT: {"won": "closedwon", "lost": "closedlost"},
            Source.DYNAMICS: {"won": "Won", "lost": "Lost"},
        }[source]
        opportunities = Opportunity.objects.select_related("key_account")
        for o in opportunities.order_by("key_account_id", "title", "pk"):
            values = {
                "external_id": ids.get(o.pk, f"KAM-O{o.pk}"),
                "account_id": account_key(o.key_account.customer_id),
                "name": o.title,
                "amount": o.annual_value,
                "stage": stage_names.get(o.status, o.get_status_display()),
                "close_date": o.expected_start_on,
                "probability": "",
            }
            rows.append([values[f] for f in names])
    return header, rows
