"""Discovery's answers to other apps' signals."""

from accounts.signals import director_handed_over, team_member_left

from .services import stakeholders_owner_replace


def on_director_handed_over(sender, *, account, leaving, successor, acting_user=None, **kwargs):
    """The successor takes over the relationships the leaving director owned."""
    stakeholders_owner_replace(
        account=account, owner=leaving, new_owner=successor, acting_user=acting_user
    )


def on_team_member_left(sender, *, account, leaving, acting_user=None, **kwargs) -> int:
    """Nobody off the team owns a relationship: theirs are left without an owner (how many)."""
    return stakeholders_owner_replace(
        account=account, owner=leaving, new_owner=None, acting_user=acting_user
    )


def connect() -> None:
    director_handed_over.connect(on_director_handed_over, dispatch_uid="discovery.hand_over")
    team_member_left.connect(on_team_member_left, dispatch_uid="discovery.member_left")
