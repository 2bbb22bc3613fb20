"""Signals of the account team that later stages answer without `accounts` importing them."""

from django.dispatch import Signal

# Sent inside the transaction by `accounts.services.directors_hand_over`, once for each director
# who hands an account over and leaves its team. Keyword arguments: account (KeyAccount),
# leaving (User), successor (User), acting_user (User). discovery passes the stakeholders the
# leaving director owned to the successor (discovery.receivers).
director_handed_over = Signal()

# Sent inside the transaction by `accounts.services.team_members_leave`, once for each person
# who leaves an account's team that way (a selection again names a new team). Keyword
# arguments: account, leaving (User), acting_user. discovery releases the stakeholders they
# owned (no owner), as taking someone off the team on the team page does.
team_member_left = Signal()
