"""The plan's "Pursued opportunities" (the page's section, page 2 of the PDF, a frozen
version): an opportunity decided "pursue" and since lost or dropped is over and leaves it;
its actions stay in the plan, under "Other actions"."""

from opportunities.models import Opportunity
from planning.snapshot import load_plan, plan_to_dict

from ..factories import ActionFactory, OpportunityFactory

PURSUE = Opportunity.Decision.PURSUE
Status = Opportunity.Status


def test_a_pursued_opportunity_since_lost_or_dropped_leaves_the_plan(plan, people):
    account = plan.key_account
    kept = [
        OpportunityFactory(
            key_account=account, title="Decided", decision=PURSUE, status=Status.QUALIFIED
        ),
        OpportunityFactory(key_account=account, title="Pursuing", status=Status.PURSUING),
        OpportunityFactory(key_account=account, title="Won", decision=PURSUE, status=Status.WON),
    ]
    lost = OpportunityFactory(
        key_account=account, title="Lost", decision=PURSUE, status=Status.LOST
    )
    OpportunityFactory(key_account=account, title="Dropped", decision=PURSUE, status=Status.DROPPED)
    ActionFactory(
        plan=plan, title="Follow up the lost tender", opportunity=lost, owner=people.manager
    )

    data = load_plan(plan)

    assert sorted(o.title for o in data.opportunities) == sorted(o.title for o in kept)
    snapshot = plan_to_dict(data)
    assert sorted(o["title"] for o in snapshot["opportunities"]) == ["Decided", "Pursuing", "Won"]
    assert [a["title"] for a in snapshot["actions"]] == ["Follow up the lost tender"]


def test_the_plan_page_no_longer_lists_a_lost_opportunity(client_for, people, plan):
    account = plan.key_account
    OpportunityFactory(
        key_account=account, title="Tray tender we lost", decision=PURSUE, status=Status.LOST
    )
    OpportunityFactory(key_account=account, title="Tray tender we pursue", status=Status.PURSUING)

    page = client_for(people.manager).get(f"/accounts/{account.pk}/plan/").content.decode()

    assert "Tray tender we pursue" in page
    assert "Tray tender we lost" not in page
