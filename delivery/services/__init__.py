"""Writes for Stage 5 (Delivery), one module per topic. Every domain write of the delivery pages
goes through one of them: `progress` (action progress), `meetings` (and their follow-ups),
`calendar` (feeds), `quotes` (and discount approval), `expiry` (quotes whose validity
ended, and their renewal), `monitoring` (check-ins, measurements),
`comments` (the timeline's @mentions) and `deselection` (a de-selected account's wind-down);
`shared` holds what they share. Notifications go through the `notifications` app.
"""
