"""Signals that let later stages react to Stage 1 events without Stage 1 importing them."""

from django.dispatch import Signal

# Sent by the de-selection service after a key account is de-selected.
# Keyword arguments: account (KeyAccount), acting_user (User), reason (str).
# planning connects a receiver that archives the account's current plan.
key_account_deselected = Signal()

# Sent by the selection service once a customer's selection as key account (or its selection
# again) has committed. Keyword arguments: account (KeyAccount), acting_user (User).
key_account_selected = Signal()
