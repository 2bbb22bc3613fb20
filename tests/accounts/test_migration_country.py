"""A customer's country became an ISO code (accounts 0014 and 0015): a database at the old head,
with countries typed as text, migrates to codes; text that names no country is kept in the
customer's notes, and the history's rows get codes too.

The database is tests/old_heads.py's: `plant` writes at the old head, the test reads after the
migration to the newest head."""

from decimal import Decimal

from django.utils import timezone

# Not yet applied when `plant` runs: the country was text.
MIGRATIONS_UNDER_TEST = [
    ("accounts", "0014_customer_country_code"),
    ("accounts", "0015_customer_country_from_list"),
]

TYPED = {
    "CTRY-1": ("Scotland", ""),
    "CTRY-2": ("Allemagne", ""),
    "CTRY-3": ("Narnia", "Buys lamp posts."),
    "CTRY-4": ("", ""),
    "CTRY-5": (" de ", ""),
}


def plant(old) -> dict:
    customer = old.get_model("accounts", "Customer")
    for reference, (country, notes) in TYPED.items():
        customer.objects.create(
            reference=reference,
            name=f"Customer {reference}",
            country=country,
            notes=notes,
            annual_revenue=Decimal("1"),
        )
    old.get_model("accounts", "HistoricalCustomer").objects.create(
        id=990001,
        reference="CTRY-H",
        name="Customer as it was",
        country="United Kingdom",
        annual_revenue=Decimal("1"),
        potential_spend=Decimal("0"),
        created_at=timezone.now(),
        updated_at=timezone.now(),
        history_date=timezone.now(),
        history_type="~",
    )
    return {"references": sorted(TYPED)}


def test_typed_countries_became_codes_and_nothing_typed_was_lost(migrated_old_heads):
    planted = migrated_old_heads[__name__]
    from accounts.models import Customer

    rows = {c.reference: c for c in Customer.objects.filter(reference__in=planted["references"])}
    assert {ref: c.country.code for ref, c in rows.items()} == {
        "CTRY-1": "GB",
        "CTRY-2": "DE",
        "CTRY-3": "",
        "CTRY-4": "",
        "CTRY-5": "DE",
    }
    assert rows["CTRY-3"].notes == (
        "Buys lamp posts.\n\nCountry as typed before the country list: Narnia"
    )
    assert rows["CTRY-1"].notes == ""
    history = Customer.history.model.objects.get(id=990001)
    assert history.country == "GB"
