"""The demo programme shows every part of Stage 3."""

from opportunities.models import (
    BusinessUnit,
    Offering,
    Opportunity,
    OpportunityDecision,
    Quadrant,
    WhiteSpaceCell,
    Workshop,
)


def test_demo_covers_levers_statuses_quadrants_workshops_and_white_space(demo):
    assert set(Opportunity.objects.values_list("lever", flat=True)) == set(Opportunity.Lever.values)
    assert set(Opportunity.objects.values_list("status", flat=True)) == set(
        Opportunity.Status.values
    )
    # Every quadrant, plus opportunities not scored yet (no quadrant).
    quadrants = set(Opportunity.objects.values_list("quadrant", flat=True))
    assert quadrants == {*Quadrant.values, ""}
    assert 6 <= Offering.objects.count() <= 8
    assert Workshop.objects.count() == 2
    assert Opportunity.objects.filter(workshop__isnull=False).count() >= 4
    assert OpportunityDecision.objects.exclude(reason="").count() >= 10
    assert BusinessUnit.objects.values("key_account").distinct().count() >= 3
    assert WhiteSpaceCell.objects.filter(opportunity__isnull=False).exists()
    per_account = [
        Opportunity.objects.filter(key_account__customer__reference=f"C-{1001 + i}").count()
        for i in range(12)
    ]
    assert min(per_account) >= 4
