"""Before the database kept one director per account and a time share of at most 100 %, a
write that skipped the team services (the admin, a race) could store a second director or a
share of 150 %. Migrating such a database (accounts 0017) puts them right, deleting nothing: the
first director named stays, the others become managers (on the timeline too); a share above
100 % is lowered to 100 %. Each change is in the history, its revision moved."""

from datetime import date

from django.utils import translation

from accounts.models import AccountEvent, Membership

# Not yet applied when `plant` runs (tests/old_heads.py: accounts is at its 0003 there).
MIGRATIONS_UNDER_TEST = [("accounts", "0017_team_rules_in_the_database")]


def plant(old) -> dict:
    User = old.get_model("accounts", "User")
    customer = old.get_model("accounts", "Customer").objects.create(
        reference="OLD-DIR-1", name="Two Directors Ltd"
    )
    account = old.get_model("accounts", "KeyAccount").objects.create(
        customer=customer,
        classification="strategic",
        selection_rationale="Raced.",
        selected_on=date(2026, 1, 5),
    )
    Member = old.get_model("accounts", "Membership")
    people = [
        User.objects.create(username=f"old-team-{n}", first_name=first, last_name="Old")
        for n, first in enumerate(("Dora", "Dan", "Mia", "Dee"))
    ]
    members = [
        Member.objects.create(user_id=person.pk, key_account_id=account.pk, role=role, **extra)
        for person, role, extra in (
            (people[0], "director", {"time_share_percent": 20}),
            (people[1], "director", {"time_share_percent": 30, "function": "Finance"}),
            (people[2], "manager", {"time_share_percent": 150}),
            (people[3], "director", {}),
        )
    ]
    return {"members": [m.pk for m in members], "account": account.pk}


def test_a_second_director_becomes_a_manager_and_a_share_over_100_is_lowered(
    migrated_old_heads,
):
    ids = migrated_old_heads[__name__]
    members = [Membership.objects.get(pk=pk) for pk in ids["members"]]
    assert [(m.user.first_name, m.role, m.time_share_percent) for m in members] == [
        ("Dora", "director", 20),  # the first named stays director
        ("Dan", "manager", 30),  # nothing else of theirs changes
        ("Mia", "manager", 100),
        ("Dee", "manager", 0),
    ]
    assert members[1].function == "Finance"
    assert [m.revision for m in members] == [0, 1, 1, 1]  # open team-entry forms are stale
    (demoted,) = members[1].history.filter(history_type="~")
    assert demoted.role == "manager"
    assert demoted.history_change_reason == (
        "Made manager: the account had two directors; the first named stays director"
    )
    (lowered,) = members[2].history.filter(history_type="~")
    assert lowered.time_share_percent == 100
    entries = AccountEvent.objects.filter(key_account_id=ids["account"], kind="team_changed")
    assert sorted(e.shown_summary for e in entries) == [
        "Dan Old is now key account manager",
        "Dee Old is now key account manager",
    ]
    with translation.override("fr"):  # each reader reads the entry and its reason in theirs
        entry = entries.get(summary__startswith="Dan")
        assert entry.shown_summary == "Dan Old est désormais responsable de compte clé"
        assert entry.shown_reason == (
            "Devenu responsable du compte\u00a0: le compte avait deux directeurs\u00a0; "
            "le premier nommé reste directeur"
        )
