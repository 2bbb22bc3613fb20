"""Before the database kept business unit and offering names unique in any case, "Bakery" and
"BAKERY" could both be stored. Migrating such a database (0009) renames the later copies with a
number, deletes nothing, then adds the constraints."""

from datetime import date

from opportunities.models import BusinessUnit, Offering

# Not yet applied when `plant` runs (tests/old_heads.py: opportunities is at its 0003 there).
MIGRATIONS_UNDER_TEST = [("opportunities", "0009_unit_and_offering_names_unique_in_any_case")]


def plant(old) -> dict:
    customer = old.get_model("accounts", "Customer").objects.create(
        reference="OLD-UNITS-1", name="Units Twice Ltd"
    )
    account = old.get_model("accounts", "KeyAccount").objects.create(
        customer=customer,
        classification="strategic",
        selection_rationale="Raced.",
        selected_on=date(2026, 1, 5),
    )
    Unit = old.get_model("opportunities", "BusinessUnit")
    units = [
        Unit.objects.create(key_account_id=account.pk, name=name)
        for name in ("Bakery", "BAKERY", "Bakery (2)", "bakery", "U" * 200, "u" * 200)
    ]
    programme = old.get_model("accounts", "Programme").objects.create(name="Catalogue twice")
    Offering = old.get_model("opportunities", "Offering")
    offerings = [
        Offering.objects.create(programme_id=programme.pk, name=name)
        for name in ("Cold-chain logistics", "cold-chain logistics", "Demand planning")
    ]
    return {"units": [u.pk for u in units], "offerings": [o.pk for o in offerings]}


def test_units_and_offerings_of_one_name_in_any_case_are_renamed_not_lost(migrated_old_heads):
    ids = migrated_old_heads[__name__]
    units = [BusinessUnit.objects.get(pk=pk) for pk in ids["units"]]
    assert [u.name for u in units] == [
        "Bakery",  # the oldest keeps its name
        "BAKERY (3)",  # (2) was taken by a unit of its own
        "Bakery (2)",
        "bakery (4)",
        "U" * 200,
        "u" * 196 + " (2)",  # shortened to fit
    ]
    assert [u.revision for u in units] == [0, 1, 0, 1, 0, 1]  # open edit forms are stale
    (renamed,) = units[1].history.filter(history_type="~")
    assert renamed.name == "BAKERY (3)"
    assert renamed.history_change_reason == "Renamed: the account had another with the same name"
    offerings = [Offering.objects.get(pk=pk) for pk in ids["offerings"]]
    assert [(o.name, o.revision) for o in offerings] == [
        ("Cold-chain logistics", 0),
        ("cold-chain logistics (2)", 1),
        ("Demand planning", 0),
    ]
