from accounts.models import AccountEvent
from planning.models import AccountPlan
from strategy.signals import key_account_deselected


def test_deselection_signal_archives_the_current_plan(people, plan):
    key_account_deselected.send(
        sender=None, account=plan.key_account, acting_user=people.director, reason="Price only"
    )
    plan.refresh_from_db()
    assert plan.status == AccountPlan.Status.ARCHIVED
    assert plan.is_current is False
    event = plan.key_account.events.get(kind=AccountEvent.Kind.PLAN)
    assert event.summary == "Plan FY2027 archived"
    assert event.reason == "Price only"


def test_deselection_without_a_plan_does_nothing(people, account):
    key_account_deselected.send(
        sender=None, account=account, acting_user=people.director, reason="x"
    )
    assert not AccountPlan.objects.exists()
    assert not account.events.exists()


def test_after_archiving_the_plan_page_says_there_is_no_current_plan(client_for, people, plan):
    key_account_deselected.send(sender=None, account=plan.key_account, acting_user=None, reason="")
    from django.urls import reverse

    page = client_for(people.manager).get(reverse("planning:plan", args=[plan.key_account_id]))
    assert "There is no current plan" in page.content.decode()
