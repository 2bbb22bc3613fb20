"""What Stage 3 tells later and cross-cutting apps; they connect, opportunities never imports
them (README "Architecture"). Sent after the step commits."""

from django.dispatch import Signal

# Sent once a pursue / hold / drop decision has committed. Keyword arguments: opportunity
# (Opportunity, as saved), decision (str), reason (str), acting_user (User).
opportunity_decided = Signal()
