import re
from collections import Counter
from html import unescape
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from accounts.models import Classification, KeyAccount, Membership, User
from api.models import ApiToken
from delivery.models import Meeting, Quote, QuoteLine
from discovery.models import ProfitabilityYear, Stakeholder
from opportunities import services as opportunity_services
from opportunities.models import Offering, Opportunity
from planning.models import AccountPlan, Action, EngagementActivity, Objective, Target

GENERATED = {"key_account__customer__reference__startswith": "GEN-"}
GENERATED_PLAN = {"plan__key_account__customer__reference__startswith": "GEN-"}
HAND_WRITTEN_PLAN = {"plan__key_account__customer__reference__startswith": "C-"}


# What seeding again must leave as it was: the stages' data, the rhythm's reviews and job log,
# the organisation's handbook data and the API's demo token (each app's test_demo_data checks
# what its part of the demo holds, on the shared seed: tests/demo_snapshot.py).
COUNTED_APPS = {
    "accounts",
    "discovery",
    "opportunities",
    "planning",
    "delivery",
    "integrations",
    "rhythm",
    "organisation",
}


def _counts():
    # Historical* models (django-simple-history) are a log of saves, not demo data: a second
    # run may log a save, and that is not a duplicate.
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in COUNTED_APPS and not hasattr(model, "instance_type")
    }
    counts["api.ApiToken"] = ApiToken.objects.count()
    return counts


def test_seed_demo_again_changes_nothing_and_force_works_with_debug_off(demo, settings):
    first = _counts()
    settings.DEBUG = False
    call_command("seed_demo", "--force", stdout=StringIO())
    assert _counts() == first
    assert first["accounts.KeyAccount"] >= 8
    # A webhook subscription to the local demo receiver, with its delivery log.
    assert first["integrations.WebhookSubscription"] == 1
    assert first["integrations.WebhookDelivery"] == 4
    assert first["api.ApiToken"] == 1


def test_seed_demo_refused_when_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not KeyAccount.objects.exists()


# ---- realism: every hand-written account tells its own story ------------------------------


def _repeated(rows) -> list:
    """Texts that occur on more than one account: (account id, text) pairs → texts."""
    accounts_per_text = Counter(text for _account, text in set(rows))
    return sorted(text for text, n in accounts_per_text.items() if n > 1)


class TestTheDemoAsSeeded:
    """Read-only checks of the seeded demo (the shared seed: tests/demo_snapshot.py)."""

    def test_workspace_invitations_were_sent_before_their_visits(self, demo):
        """The invitation's row took the seeding day while its timeline entry and its visits
        were dated before: the team's list read 'invited today, last visit 2 days ago'."""
        from workspace.models import Invitation

        invitations = list(Invitation.objects.all())
        assert invitations
        for invitation in invitations:
            if invitation.last_visit_at:
                assert invitation.created_at < invitation.last_visit_at
            assert invitation.expires_at > invitation.created_at

    def test_demo_has_all_four_classes_two_managers_and_the_documented_users(self, demo):
        assert set(KeyAccount.objects.values_list("classification", flat=True)) == set(
            Classification.values
        )
        for username in ("director", "manager", "manager2", "coordinator", "executive"):
            assert User.objects.get(username=username).check_password("demo")
        managers = KeyAccount.objects.filter(memberships__role="manager").values(
            "memberships__user"
        )
        assert len({row["memberships__user"] for row in managers}) >= 2

    def test_no_two_accounts_share_opportunities_objectives_actions_or_risks(self, demo):
        assert _repeated(Opportunity.objects.values_list("key_account", "title")) == []
        assert _repeated(Objective.objects.values_list("plan__key_account", "title")) == []
        assert _repeated(Action.objects.values_list("plan__key_account", "title")) == []
        assert _repeated(AccountPlan.objects.values_list("key_account", "value_proposition")) == []
        from planning.models import PlanRisk

        assert _repeated(PlanRisk.objects.values_list("plan__key_account", "description")) == []
        # Only the weekly internal check-in is the same meeting on every account.
        assert (
            _repeated(
                Meeting.objects.exclude(kind=Meeting.Kind.INTERNAL).values_list(
                    "key_account", "title"
                )
            )
            == []
        )

    def test_plans_link_only_to_their_own_accounts_opportunities_and_stakeholders(self, demo):
        actions = Action.objects.filter(plan__is_current=True, **HAND_WRITTEN_PLAN)
        assert actions.filter(opportunity__isnull=False).count() >= 50
        assert (
            not actions.exclude(opportunity__isnull=True)
            .exclude(opportunity__key_account=F("plan__key_account"))
            .exists()
        )
        assert (
            not actions.exclude(objective__isnull=True).exclude(objective__plan=F("plan")).exists()
        )
        engagement = EngagementActivity.objects.all()
        assert engagement.count() >= 24
        assert not engagement.exclude(stakeholder__key_account=F("plan__key_account")).exists()
        assert (
            not Meeting.objects.exclude(stakeholders=None)
            .exclude(stakeholders__key_account=F("key_account"))
            .exists()
        )
        # The review with the sponsor invites her team and records the follow-up it agreed.
        northwind_review = Meeting.objects.get(title="Quarterly business review with Katrin Vogel")
        assert set(northwind_review.stakeholders.values_list("name", flat=True)) == {
            "Katrin Vogel",
            "Jens Albrecht",
            "Miriam Scholz",
        }
        assert northwind_review.follow_ups.filter(
            title="Send Jens Albrecht the two-year tray price proposal"
        ).exists()

    def test_opportunities_fit_the_account(self, demo):
        northwind = Opportunity.objects.filter(key_account__customer__reference="C-1001")
        assert northwind.filter(title__icontains="clean-label").exists()
        helios = Opportunity.objects.filter(key_account__customer__reference="C-1002")
        assert helios.filter(title__icontains="private-label").exists()
        nordic = Opportunity.objects.filter(key_account__customer__reference="C-1007")
        assert nordic.filter(title__icontains="cold-chain").exists()
        assert not Opportunity.objects.filter(title="Trade up to premium cultures").exists()
        # Converted ideas and white-space cells are scored by their manager later; two are left
        # honestly "not scored yet" (no priority, no quadrant), never at made-up defaults.
        untouched = Opportunity.objects.filter(
            source__in=[Opportunity.Source.INTERVIEW, Opportunity.Source.WHITE_SPACE], revision=0
        )
        assert set(untouched.values_list("title", flat=True)) == {
            "Demand-planning analytics for Fresh food",
            "Port-side consignment stock in Esbjerg",
        }
        assert not untouched.filter(priority__isnull=False).exists()
        assert not untouched.exclude(quadrant="").exists()
        # So is the one a customer proposed in the workspace and the manager accepted.
        proposed = Opportunity.objects.filter(customer_proposal__isnull=False)
        assert set(proposed.values_list("title", flat=True)) == {
            "Vendor-managed stock for the Erfurt plant"
        }
        assert set(Opportunity.objects.filter(priority__isnull=True)) == {*untouched, *proposed}

    def test_the_former_key_accounts_opportunities_show_only_when_asked(self, demo, client):
        from django.urls import reverse

        danube = Opportunity.objects.filter(key_account__customer__reference="C-1016")
        assert danube.count() == 2 and not danube.filter(key_account__status="active").exists()
        client.force_login(User.objects.get(username="director2"))
        url = reverse("opportunities:index")
        assert "Pallet wrap for the merged group" not in client.get(url).content.decode()
        shown = client.get(url + "?deselected=1").content.decode()
        assert "Pallet wrap for the merged group&#x27;s new depots" in shown

    def test_demo_keeps_overdue_done_follow_up_missing_and_discount_cases(self, demo):
        from django.utils import timezone

        today = timezone.localdate()
        assert Action.objects.filter(status__in=Action.OPEN_STATUSES, due_on__lt=today).count() >= 8
        assert Action.objects.filter(status=Action.Status.DONE).count() >= 8
        now = timezone.now()
        meetings = Meeting.objects.select_related("key_account__customer")
        missing = {m.key_account.customer.reference for m in meetings if m.follow_up_missing(now)}
        assert missing == {"C-1001", "C-1004", "C-1007"}
        assert set(Quote.objects.values_list("status", flat=True)) == set(Quote.Status.values)
        above_limit = Quote.objects.get(number="Q-DEMO-04")
        assert above_limit.totals().effective_discount_percent > 10
        catalogue = set(Offering.objects.values_list("pk", flat=True))
        lines = QuoteLine.objects.all()
        assert lines.count() == 16
        assert set(lines.values_list("offering", flat=True)) - {None} <= catalogue
        # Lines chosen from an offering carry its list price; free-text lines have none.
        assert not lines.filter(offering__isnull=False, list_unit_price__isnull=True).exists()
        assert lines.filter(offering__isnull=True).exists()
        from delivery.services.quotes import quote_needs_approval

        # Q-DEMO-03 declares no line discount; its trays at 58.90 against 66.00 need a director.
        assert quote_needs_approval(Quote.objects.get(number="Q-DEMO-03"))
        sent = Quote.objects.filter(status__in=["sent", "accepted"]).prefetch_related("lines")
        assert all(q.totals(q.lines.all()).effective_discount_percent <= 10 for q in sent)
        assert not Quote.objects.exclude(opportunity__key_account=F("key_account")).exists()

    def test_the_timeline_and_the_versions_tell_the_dates_the_plan_page_tells(self, demo):
        from django.utils import timezone

        from accounts.models import AccountEvent
        from planning.models import PlanVersion

        # Seeded just now: nothing on a timeline happened on a day still to come.
        assert not AccountEvent.objects.filter(occurred_at__gt=timezone.now()).exists()
        # Version 1 of an approved plan is dated when its director approved it.
        approved = AccountPlan.objects.filter(status=AccountPlan.Status.APPROVED)
        assert approved.exists()
        for plan in approved:
            version = PlanVersion.objects.get(plan=plan, kind=PlanVersion.Kind.APPROVAL, number=1)
            assert version.created_at == plan.approved_at

    def test_the_timeline_tells_of_the_months_behind_the_demo_not_of_the_seeding(self, demo):
        from datetime import timedelta

        from django.utils import timezone

        from accounts.models import AccountEvent

        # Every step the demo takes through the services is dated when it would have
        # happened (accounts.services.events_dated): an opportunity when it was identified,
        # its decision a week later, a value when it was delivered. Before, 165 of the 300
        # entries of the hand-written accounts read "today, at the minute of the seeding".
        hand_written = AccountEvent.objects.filter(
            key_account__customer__reference__startswith="C-"
        )
        assert hand_written.count() > 200
        seeded_at = hand_written.filter(occurred_at__gte=timezone.now() - timedelta(hours=1))
        assert list(seeded_at.values_list("summary", flat=True)) == []

    def test_the_reviews_held_with_the_customer_were_completed_in_their_quarter(self, demo):
        from datetime import datetime, time

        from django.utils import timezone

        from planning.models import PlanVersion, Review
        from workspace.models import ReviewResponse

        held = Review.objects.filter(joint__isnull=False).select_related("joint", "plan")
        assert held.count() == 2
        today = timezone.localdate()
        for review in held:
            # Completed by the manager before it was due, after the customer answered.
            assert review.completed_at is not None, review.quarter
            assert review.decision == Review.Decision.KEEP
            due = timezone.make_aware(datetime.combine(review.due_on, time.max))
            answers = ReviewResponse.objects.filter(joint_review=review.joint)
            assert answers.exists()
            start = timezone.make_aware(datetime.combine(review.opened_on, time.min))
            for answer in answers:
                assert start <= review.joint.opened_at <= answer.submitted_at
                assert answer.submitted_at <= review.completed_at <= due
            assert review.due_on < today
            assert PlanVersion.objects.filter(
                plan=review.plan,
                kind=PlanVersion.Kind.REVIEW,
                created_at=review.completed_at,
                snapshot__version__quarter=review.quarter,
            ).exists()
        # So nobody's work lists a review of a past quarter as open, but the one the rhythm
        # demo leaves open on purpose (escalated to its director).
        open_past = Review.objects.filter(completed_at__isnull=True, due_on__lt=today)
        assert open_past.count() == 1 and open_past.get().escalated_at is not None

    def test_every_customers_class_was_scored_before_it_was_selected(self, demo):
        from accounts.models import KeyAccount
        from strategy.selectors import customer_class_changes

        accounts = KeyAccount.objects.select_related("customer")
        assert accounts.exists()
        for account in accounts:
            for change in customer_class_changes(customer=account.customer):
                assert change["when"].date() < account.selected_on, (account, change)

    def test_each_timeline_tells_one_chain_of_classes_from_selection_to_today(self, demo):
        """The selection names the class the account was selected on, each class change
        starts where the one before ended, and the last one ends on today's class: no
        "Selected (Status)" followed by "changed from Strategic to Status"."""
        from accounts.models import AccountEvent, KeyAccount

        changed = 0
        for account in KeyAccount.objects.all():
            events = account.events.filter(
                kind__in=[AccountEvent.Kind.SELECTED, AccountEvent.Kind.CLASS_CHANGED]
            ).order_by("occurred_at", "pk")
            selection, *changes = list(events)
            assert selection.kind == AccountEvent.Kind.SELECTED, account
            held = selection.new_value
            for change in changes:
                assert change.kind == AccountEvent.Kind.CLASS_CHANGED, account
                assert change.old_value == held, (account, change.summary)
                held = change.new_value
                changed += 1
            assert held == account.classification, account
        assert changed == 3  # Baltic Marine, Alpenmilch and Sunvale


def test_demo_works_without_the_discovery_and_opportunities_data(db, monkeypatch):
    import discovery.demo_data
    import opportunities.demo_data

    monkeypatch.setattr(discovery.demo_data, "seed", lambda ctx: None)
    monkeypatch.setattr(opportunities.demo_data, "seed", lambda ctx: None)
    call_command("seed_demo", "--force", "--scale", "2")
    assert AccountPlan.objects.filter(is_current=True).count() == 32
    assert Action.objects.filter(**GENERATED_PLAN).count() == 20 * 50
    assert not Action.objects.filter(opportunity__isnull=False).exists()
    assert not EngagementActivity.objects.exists()
    assert Meeting.objects.filter(**GENERATED).count() == 20 * 5


# ---- scale: realistic volumes per generated account, inserted in bulk ----------------------


def _per_account(queryset, account_field="key_account") -> set[int]:
    return set(queryset.values(account_field).annotate(n=Count("pk")).values_list("n", flat=True))


def test_seed_demo_scale_gives_every_generated_account_realistic_volumes(demo_at_scale_2):
    generated = KeyAccount.objects.filter(customer__reference__startswith="GEN-")
    assert generated.count() == 20
    assert _per_account(Stakeholder.objects.filter(**GENERATED)) == {20}
    assert _per_account(ProfitabilityYear.objects.filter(**GENERATED)) == {3}
    assert _per_account(Opportunity.objects.filter(**GENERATED)) == {10}
    assert _per_account(Meeting.objects.filter(**GENERATED)) == {5}
    plans = AccountPlan.objects.filter(is_current=True, **GENERATED)
    assert plans.count() == 20
    assert _per_account(Objective.objects.filter(plan__in=plans), "plan") == {3}
    assert _per_account(Target.objects.filter(objective__plan__in=plans), "objective") == {1}
    actions = Action.objects.filter(plan__in=plans)
    assert _per_account(actions, "plan") == {50}
    # Owners are the account's own generated people; every action advances an opportunity.
    members = set(Membership.objects.filter(**GENERATED).values_list("key_account", "user"))
    assert set(actions.values_list("plan__key_account", "owner")) <= members
    assert not actions.filter(Q(opportunity__isnull=True) | Q(objective__isnull=True)).exists()
    assert not actions.exclude(opportunity__key_account=F("plan__key_account")).exists()
    assert {"done", "open"} <= set(actions.values_list("status", flat=True))
    # Org charts hang together: everyone but the CEO reports to someone of the same account.
    people = Stakeholder.objects.filter(**GENERATED)
    assert people.filter(reports_to__isnull=True).count() == 20
    assert (
        not people.exclude(reports_to__isnull=True)
        .exclude(reports_to__key_account=F("key_account"))
        .exists()
    )
    # Priority and quadrant are those the opportunities services compute.
    for opportunity in Opportunity.objects.filter(**GENERATED)[:50]:
        assert opportunity.priority == opportunity_services.priority_for(opportunity)
        assert opportunity.quadrant == opportunity_services.quadrant_for(opportunity)


def test_seed_demo_scale_twice_creates_nothing_new(demo_at_scale_2):
    first = _counts()
    call_command("seed_demo", "--force", "--scale", "2", stdout=StringIO())
    assert _counts() == first
    # 12 hand-written + 1 de-selected former key account (C-1016) + 20 generated (scale 2).
    assert first["accounts.KeyAccount"] == 33


def _page_text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(response.content.decode())).split())


def test_the_demo_shows_a_former_team_member_and_a_target_to_measure_again(demo, client):
    """Alpenmilch is the account whose team page and plan page the accessibility crawl reads
    first (tests/a11y): its team lists the finance analyst who left, and its plan a target on
    track whose one measurement, 100 days old (more than rules.MEASURE_EVERY_DAYS), asks for a
    new one. Read as its manager reads them."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format

    from accounts.models import AccountEvent

    account = KeyAccount.objects.get(customer__reference="C-1004")
    client.force_login(User.objects.get(username="manager"))
    team = _page_text(client.get(reverse("organisation:team", args=[account.pk])))
    left_on = timezone.localdate() - timedelta(days=45)
    assert (
        f"Former team members They no longer see this account: add them to the team again to "
        f"give them access. Amara Okafor — Account team member until "
        f"{date_format(left_on, 'SHORT_DATE_FORMAT')}" in team
    )
    # She left through the team service: her access went and the timeline says when.
    assert not account.memberships.filter(user__username="financeanalyst").exists()
    left = account.events.get(kind=AccountEvent.Kind.TEAM_CHANGED)
    assert left.summary == "Amara Okafor left the team (account team member)"
    assert timezone.localtime(left.occurred_at).date() == left_on

    plan = AccountPlan.objects.get(key_account=account, is_current=True)
    assert plan.status == AccountPlan.Status.APPROVED  # the services' edits came before approval
    page = _page_text(client.get(reverse("planning:plan", args=[account.pk])))
    # Baseline 60 % 120 days ago, 61 % measured 100 days ago: 1 of 5 points, 20 % of the way,
    # when 20 of the 360 days from baseline to due date (6 %) had passed: on track.
    assert (
        "Share of Alpenmilch's packaging spend (%) 60.00 "
        f"{date_format(timezone.localdate() - timedelta(days=120), 'SHORT_DATE_FORMAT')} 65.00"
        in page
    )
    assert (
        "On track 20 % of the way, 6 % of the time Last measured 100 days ago: measure again"
        in page
    )
    assert page.count("measure again") == 1
    # The only target of the manager's plans due a measurement: on their My work too.
    work = _page_text(client.get(reverse("delivery:index")))
    assert (
        "Targets to measure again Targets of the plans you manage whose latest measurement (or "
        "start, if never measured) is more than 92 days old, whatever their status; the "
        "longest waiting first. Share of Alpenmilch's packaging spend — Alpenmilch AG On track "
        "· Last measured 100 days ago: measure again Customer issues I follow up" in work
    )
