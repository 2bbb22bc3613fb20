"""The data migration that makes stored status and decision agree (dropped exactly when
"drop"), run on rows left inconsistent by the old decision code."""

from importlib import import_module

from django.apps import apps

from opportunities.models import Opportunity
from tests.factories import OpportunityFactory

migration = import_module("opportunities.migrations.0006_decision_agrees_with_status")


def test_inconsistent_rows_are_fixed_and_consistent_ones_left_alone(account):
    raced = OpportunityFactory(key_account=account, status="dropped", decision="pursue")
    reopened = OpportunityFactory(key_account=account, status="pursuing", decision="drop")
    fine = OpportunityFactory(key_account=account, status="pursuing", decision="hold")

    migration.decision_follows_status(apps, None)

    stored = dict(Opportunity.objects.values_list("pk", "decision"))
    assert stored[raced.pk] == "drop"
    assert stored[reopened.pk] == ""
    assert stored[fine.pk] == "hold"
