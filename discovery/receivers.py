"""Discovery's answers to other apps' signals."""

from accounts.signals import director_handed_over

from .services import stakeholders_owner_replace


def on_director_handed_over(sender, *, account, leaving, successor, acting_user=None, **kwargs):
    """The successor takes over the relationships the leaving director owned."""
    stakeholders_owner_replace(
        account=account, owner=leaving, new_owner=successor, acting_user=acting_user
    )


def connect() -> None:
    director_handed_over.connect(on_director_handed_over, dispatch_uid="discovery.hand_over")
