from planning.models import AccountPlan, Action, PlanVersion


def test_demo_gives_every_hand_written_account_a_plan_with_spread_statuses(demo):
    plans = AccountPlan.objects.filter(is_current=True)
    assert plans.count() == 12
    assert set(plans.values_list("status", flat=True)) == {
        "approved",
        "submitted",
        "draft",
        "returned",
    }
    # One approval each (the workspace demo adds review snapshots to one of them).
    assert PlanVersion.objects.filter(plan__status="approved", kind="approval").count() == 3
    for username in ("manager", "teammember", "coordinator"):
        assert Action.objects.filter(
            owner__username=username, status__in=Action.OPEN_STATUSES
        ).exists()
    assert Action.objects.filter(status="done").exists()
