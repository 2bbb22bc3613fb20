"""Restoring deleted items from the account history."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Role
from delivery.models import QuoteLine
from discovery.models import Competitor, ProfitabilityYear
from planning.models import AccountPlan, EngagementActivity, Objective, PlanRisk, Target
from tests.factories import (
    EngagementActivityFactory,
    MembershipFactory,
    ObjectiveFactory,
    ProfitabilityYearFactory,
    QuoteLineFactory,
    StakeholderFactory,
    TargetFactory,
    UserFactory,
)

from .conftest import restore_url


def _remove(client, account, kind, pk):
    response = client.post(
        reverse("planning:item_remove", args=[account.pk, kind, pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302
    return response


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_director_restores_an_objective_a_manager_deleted(
    client_for, people, account, plan, history_url
):
    objective = ObjectiveFactory(plan=plan, title="Win the frozen tender", owner=people.manager)
    _remove(client_for(people.manager), account, "objective", objective.pk)
    assert not Objective.objects.filter(pk=objective.pk).exists()
    revision = AccountPlan.objects.get(pk=plan.pk).revision

    client = client_for(people.director)
    page = client.get(history_url)
    deleted = page.context["entries"][0]
    assert (deleted.name, deleted.change, deleted.who) == (
        "Win the frozen tender",
        "Deleted",
        "Max Manager",
    )
    assert deleted.can_restore
    response = client.post(deleted.restore_url, follow=True)

    restored = Objective.objects.get(pk=objective.pk)
    assert (restored.title, restored.owner, restored.plan_id) == (
        "Win the frozen tender",
        people.manager,
        plan.pk,
    )
    assert "Plan objective “Win the frozen tender” restored." in _messages(response)
    assert AccountPlan.objects.get(pk=plan.pk).revision == revision + 1
    event = AccountEvent.objects.filter(key_account=account).first()
    assert (event.kind, event.actor) == (AccountEvent.Kind.RESTORED, people.director)
    assert "Win the frozen tender" in event.summary
    top = response.context["entries"][0]
    assert (top.change, top.who, top.note) == ("Restored", "Dana Director", "Restored from history")
    assert not any(e.can_restore for e in response.context["entries"])
    # And it is back on the plan page.
    plan_page = client.get(reverse("planning:plan", args=[account.pk])).content.decode()
    assert "Win the frozen tender" in plan_page


def test_only_the_director_restores(client_for, people, account, plan, other_account):
    risk = PlanRisk.objects.create(plan=plan, description="Key buyer retires")
    risk_id = risk.pk
    risk.delete()
    url = restore_url(account, "risk", risk_id)
    for user in (people.manager, people.coordinator, people.team_member, people.executive):
        assert client_for(user).post(url).status_code == 403
    assert client_for(people.programme_admin).post(url).status_code == 403
    assert client_for(people.outsider).post(url).status_code == 404
    assert client_for(people.other_director).post(url).status_code == 404
    anonymous = client_for(None).post(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert client_for(people.director).get(url).status_code == 405
    assert not PlanRisk.objects.filter(pk=risk_id).exists()
    assert client_for(people.director).post(url).status_code == 302
    assert PlanRisk.objects.filter(pk=risk_id, description="Key buyer retires").exists()


def test_another_accounts_deleted_item_is_404_under_my_account(
    client_for, people, account, other_account
):
    theirs = Competitor.objects.create(key_account=other_account, name="Helios Foods")
    theirs_id = theirs.pk
    theirs.delete()
    response = client_for(people.director).post(restore_url(account, "competitor", theirs_id))
    assert response.status_code == 404
    assert (
        client_for(people.director).post(restore_url(account, "account", account.pk)).status_code
        == 404
    )
    assert client_for(people.director).post(restore_url(account, "nonsense", 1)).status_code == 404
    assert not Competitor.objects.filter(pk=theirs_id).exists()


def test_restore_is_refused_while_the_parent_is_gone(client_for, people, account, plan):
    objective = ObjectiveFactory(plan=plan, title="Grow share of wallet")
    target = TargetFactory(objective=objective, kpi="Share of wallet")
    client = client_for(people.director)
    _remove(client, account, "objective", objective.pk)
    assert not Target.objects.filter(pk=target.pk).exists()

    response = client.post(restore_url(account, "target", target.pk), follow=True)
    assert not Target.objects.filter(pk=target.pk).exists()
    assert (
        "The objective “Grow share of wallet” it belonged to was deleted too: "
        "restore that first." in _messages(response)
    )

    client.post(restore_url(account, "objective", objective.pk))
    client.post(restore_url(account, "target", target.pk))
    assert Target.objects.get(pk=target.pk).objective_id == objective.pk


def test_restore_rechecks_the_items_own_rules(client_for, people, account):
    row = ProfitabilityYearFactory(key_account=account, year=2025)
    row_id = row.pk
    client = client_for(people.manager)
    client.post(reverse("discovery:year_delete", args=[account.pk, row_id]))
    ProfitabilityYearFactory(key_account=account, year=2025)  # re-entered meanwhile

    response = client_for(people.director).post(
        restore_url(account, "profitability_year", row_id), follow=True
    )
    assert not ProfitabilityYear.objects.filter(pk=row_id).exists()
    assert any("already exists" in m for m in _messages(response)), _messages(response)


def test_restored_engagement_drops_a_person_who_left_the_team(client_for, people, account, plan):
    leaver = UserFactory(username="lena", first_name="Lena", last_name="Leaver")
    membership = MembershipFactory(user=leaver, key_account=account, role=Role.TEAM_MEMBER)
    stakeholder = StakeholderFactory(key_account=account, name="Carla Buyer")
    activity = EngagementActivityFactory(
        plan=plan, stakeholder=stakeholder, our_person=leaver, purpose="Quarterly review"
    )
    activity_id = activity.pk
    _remove(client_for(people.manager), account, "engagement", activity_id)
    membership.delete()

    response = client_for(people.director).post(
        restore_url(account, "engagement", activity_id), follow=True
    )
    restored = EngagementActivity.objects.get(pk=activity_id)
    assert restored.our_person is None and restored.stakeholder == stakeholder
    assert any("has left the account team" in m for m in _messages(response))


def test_nothing_is_restored_onto_an_archived_plan(client_for, people, account, plan):
    risk = PlanRisk.objects.create(plan=plan, description="Strike at the port")
    risk_id = risk.pk
    risk.delete()
    AccountPlan.objects.filter(pk=plan.pk).update(
        status=AccountPlan.Status.ARCHIVED, is_current=False
    )
    response = client_for(people.director).post(restore_url(account, "risk", risk_id), follow=True)
    assert not PlanRisk.objects.filter(pk=risk_id).exists()
    assert "This plan is archived and can no longer be edited." in _messages(response)


def test_a_quote_line_comes_back_only_onto_a_draft(client_for, people, account):
    keep = QuoteLineFactory(quote__key_account=account, description="Audit")
    quote = keep.quote
    removed = QuoteLine.objects.create(
        quote=quote, description="Training day", quantity=1, unit_price=900, position=1
    )
    removed_id = removed.pk
    removed.delete()
    quote.discount_approved_by = people.director
    quote.discount_approved_at = timezone.now()
    quote.save()

    client = client_for(people.director)
    client.post(restore_url(account, "quote_line", removed_id))
    quote.refresh_from_db()
    assert QuoteLine.objects.get(pk=removed_id).description == "Training day"
    assert quote.discount_approved_at is None  # the price changed: approval withdrawn

    QuoteLine.objects.get(pk=removed_id).delete()
    quote.status = quote.Status.SENT
    quote.sent_at = timezone.now()
    quote.valid_until = timezone.localdate() + timedelta(days=10)
    quote.save()
    response = client.post(restore_url(account, "quote_line", removed_id), follow=True)
    assert not QuoteLine.objects.filter(pk=removed_id).exists()
    assert any("only a draft quote's lines" in m for m in _messages(response))


def test_a_restored_quote_line_withdraws_a_refused_discount_as_an_edit_would(
    client_for, people, account
):
    """The restore used to clear only an approval: a refusal of the old prices stayed and kept
    the quote from being sent with its new ones."""
    keep = QuoteLineFactory(quote__key_account=account, description="Audit")
    quote = keep.quote
    removed = QuoteLine.objects.create(
        quote=quote, description="Training day", quantity=1, unit_price=900, position=1
    )
    removed_id = removed.pk
    removed.delete()
    quote.discount_refused_by = people.director
    quote.discount_refused_at = timezone.now()
    quote.discount_refusal_reason = "Too generous."
    quote.save()
    revision = quote.revision

    response = client_for(people.director).post(
        restore_url(account, "quote_line", removed_id), follow=True
    )
    quote.refresh_from_db()
    assert QuoteLine.objects.filter(pk=removed_id).exists()
    assert not quote.is_discount_refused
    assert (quote.discount_refused_by, quote.discount_refusal_reason) == (None, "")
    assert quote.revision == revision + 1
    event = account.events.filter(kind="restored").latest("pk")
    assert "The quote's discount refusal was withdrawn: its prices changed." in event.reason
    assert response.status_code == 200


def test_restoring_twice_says_there_is_nothing_to_restore(client_for, people, account):
    competitor = Competitor.objects.create(key_account=account, name="Arctic Logistics")
    competitor_id = competitor.pk
    competitor.delete()
    client = client_for(people.director)
    client.post(restore_url(account, "competitor", competitor_id))
    response = client.post(restore_url(account, "competitor", competitor_id), follow=True)
    assert Competitor.objects.filter(pk=competitor_id).count() == 1
    assert "Competitor “Arctic Logistics” is not deleted: there is nothing to restore." in (
        _messages(response)
    )


def test_a_really_deleted_stakeholder_comes_back(client_for, people, account):
    stakeholder = StakeholderFactory(key_account=account, name="Greta Buyer", owner=people.manager)
    stakeholder_id = stakeholder.pk
    stakeholder.delete()
    client_for(people.director).post(restore_url(account, "stakeholder", stakeholder_id))
    page = client_for(people.manager).get(reverse("discovery:stakeholders", args=[account.pk]))
    assert "Greta Buyer" in page.content.decode()
