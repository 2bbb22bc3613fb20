"""Before the database kept a profile's ratios and competitors unique (the name in any case), a
race could store one twice. Migrating such a database renames the later copies with a number
(0008), deletes nothing, then adds the constraints (0009)."""

from datetime import date
from decimal import Decimal

from discovery.models import Competitor, FinancialRatio

# Not yet applied when `plant` runs (tests/old_heads.py: discovery is at its 0007 there).
MIGRATIONS_UNDER_TEST = [
    ("discovery", "0008_rename_duplicate_ratios_and_competitors"),
    ("discovery", "0009_unique_ratios_and_competitors"),
]


def plant(old) -> dict:
    customer = old.get_model("accounts", "Customer").objects.create(
        reference="OLD-DUP-1", name="Twice Listed Ltd"
    )
    account = old.get_model("accounts", "KeyAccount").objects.create(
        customer=customer,
        classification="strategic",
        selection_rationale="Raced.",
        selected_on=date(2026, 1, 5),
    )
    Ratio = old.get_model("discovery", "FinancialRatio")
    Rival = old.get_model("discovery", "Competitor")
    ratios = [
        Ratio.objects.create(key_account_id=account.pk, name=name, value=value, year=year)
        for name, value, year in (
            ("Current ratio", Decimal("1.40"), 2025),
            ("CURRENT RATIO", Decimal("1.55"), 2025),  # the same ratio and year: renamed
            ("Current ratio", Decimal("1.20"), 2024),  # another year: left alone
            ("Current ratio (2)", Decimal("7.00"), 2023),  # takes the first suffix already
        )
    ]
    long_name = "P" * 200  # the longest a competitor's name may be
    rivals = [
        Rival.objects.create(key_account_id=account.pk, name=name, offering=offering)
        for name, offering in (
            ("Packwell", "Trays"),
            ("packwell", "Lids"),
            ("Packwell", "Film"),
            (long_name, "Boxes"),
            (long_name.lower(), "Crates"),
        )
    ]
    return {"ratios": [r.pk for r in ratios], "rivals": [r.pk for r in rivals]}


def test_repeated_ratios_and_competitors_are_renamed_not_lost(migrated_old_heads):
    ids = migrated_old_heads[__name__]
    ratios = [FinancialRatio.objects.get(pk=pk) for pk in ids["ratios"]]
    assert [(r.name, r.value, r.year) for r in ratios] == [
        ("Current ratio", Decimal("1.40"), 2025),  # the oldest keeps its name
        ("CURRENT RATIO (3)", Decimal("1.55"), 2025),  # (2) was taken
        ("Current ratio", Decimal("1.20"), 2024),
        ("Current ratio (2)", Decimal("7.00"), 2023),
    ]
    assert [r.revision for r in ratios] == [0, 1, 0, 0]  # open edit forms of it are stale
    rivals = [Competitor.objects.get(pk=pk) for pk in ids["rivals"]]
    assert [(c.name, c.offering) for c in rivals] == [
        ("Packwell", "Trays"),
        ("packwell (2)", "Lids"),
        ("Packwell (3)", "Film"),
        ("P" * 200, "Boxes"),
        ("p" * 196 + " (2)", "Crates"),  # shortened to fit
    ]
    (renamed,) = rivals[1].history.filter(history_type="~")
    assert renamed.name == "packwell (2)"
    assert renamed.history_change_reason == ("Renamed: the account had another with the same name")
