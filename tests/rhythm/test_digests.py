from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from accounts.models import User
from delivery.models import Quote
from notifications.models import Notification
from planning.models import AccountPlan
from rhythm import services
from rhythm.models import DigestLog
from rhythm.selectors import digests as selectors
from tests.html_checks import page_problems

from ..factories import (
    AccountPlanFactory,
    ActionFactory,
    EngagementActivityFactory,
    KeyAccountFactory,
    MeetingFactory,
    MembershipFactory,
    QuoteFactory,
    QuoteLineFactory,
    UserFactory,
)
from .factories import DigestPreferenceFactory, ReviewFactory

UTC = ZoneInfo("UTC")
LONDON = ZoneInfo("Europe/London")
# Today at 10:00 in London (the people's default time zone): pages use the real clock.
TODAY = timezone.localdate(timezone.now(), LONDON)
NOW = datetime.combine(TODAY, time(10, 0), tzinfo=LONDON)


@pytest.fixture
def busy(people, plan):
    """Something of each kind, each for someone on the Northwind Foods team."""
    ActionFactory(
        plan=plan, owner=people.manager, title="Send the QBR deck", due_on=TODAY + timedelta(days=3)
    )
    ActionFactory(
        plan=plan, owner=people.manager, title="Call their CFO", due_on=TODAY - timedelta(days=2)
    )
    ActionFactory(
        plan=plan, owner=people.manager, title="Plan next year", due_on=TODAY + timedelta(days=30)
    )
    ActionFactory(
        plan=plan, owner=people.manager, title="Done already", due_on=TODAY, status="done"
    )
    soon = MeetingFactory(
        key_account=plan.key_account,
        title="Category review",
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=1),
        scheduled_by=people.coordinator,
    )
    soon.attendees.add(people.team_member)
    MeetingFactory(
        key_account=plan.key_account,
        title="Prepared meeting",
        starts_at=NOW + timedelta(hours=5),
        ends_at=NOW + timedelta(hours=6),
        agenda="1. Volumes",
        scheduled_by=people.coordinator,
    )
    MeetingFactory(
        key_account=plan.key_account,
        title="Plant visit",
        starts_at=NOW - timedelta(days=6),
        ends_at=NOW - timedelta(days=6) + timedelta(hours=2),
        scheduled_by=people.coordinator,
    )
    ReviewFactory(plan=plan, quarter="2027-Q2", opened_on=date(2027, 4, 1), due_on=date(2027, 5, 1))
    AccountPlan.objects.filter(pk=plan.pk).update(updated_at=NOW - timedelta(days=120))
    EngagementActivityFactory(
        plan=plan,
        our_person=people.director,
        purpose="Quarterly business review",
        next_due_on=TODAY - timedelta(days=5),
    )
    return plan


def _titles(digest, kind):
    """Titles in the order the digest shows them (by date)."""
    return [item.title for k, _label, items in digest.sections() if k == kind for item in items]


def test_each_user_gets_their_own_items(people, busy):
    users = [people.manager, people.director, people.coordinator, people.team_member]
    digests = selectors.build_digests(users=users, now=NOW)
    manager = digests[people.manager.pk]
    assert _titles(manager, "actions") == ["Call their CFO", "Send the QBR deck"]
    assert sorted(i.overdue for i in manager.items["actions"]) == [False, True]
    assert _titles(manager, "reviews") == ["Quarterly review 2027-Q2"]
    assert _titles(manager, "stale_plans") == ["Plan FY2027"]
    assert _titles(manager, "meetings_without_agenda") == []
    director = digests[people.director.pk]
    assert _titles(director, "engagements") == [
        "Quarterly business review with " + (busy.engagement_activities.get().stakeholder.name)
    ]
    assert _titles(director, "actions") == []
    coordinator = digests[people.coordinator.pk]
    assert _titles(coordinator, "meetings_without_agenda") == ["Category review"]
    assert _titles(coordinator, "meetings_follow_up") == ["Plant visit"]
    assert _titles(coordinator, "reviews") == []
    member = digests[people.team_member.pk]
    assert _titles(member, "meetings_without_agenda") == ["Category review"]
    assert _titles(member, "meetings_follow_up") == []


def test_preferences_leave_out_kinds_the_user_turned_off(people, busy):
    DigestPreferenceFactory(user=people.manager, actions=False, stale_plans=False)
    digest = selectors.build_digests(users=[people.manager], now=NOW)[people.manager.pk]
    assert set(digest.items) == {"reviews"}


def test_someone_who_left_the_team_is_not_reminded_of_the_account(people, busy):
    people.manager.memberships.all().delete()
    digest = selectors.build_digests(users=[people.manager], now=NOW)[people.manager.pk]
    assert digest.count == 0


def test_digest_is_sent_by_mail_and_notification_and_not_twice_the_same_day(
    people, busy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.digests_send(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.digests_send(now=NOW + timedelta(hours=5))
    assert first["sent"] == 4  # manager, director, coordinator, team member
    assert second["sent"] == 0
    assert DigestLog.objects.filter(user=people.manager, sent_on=TODAY).count() == 1
    to_manager = [m for m in mail.outbox if m.to == [people.manager.email]]
    assert len(to_manager) == 1
    message = to_manager[0]
    assert "Send the QBR deck" in message.body and "Overdue since" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "Call their CFO" in html
    notification = Notification.objects.get(user=people.manager)
    assert notification.link == reverse("rhythm:digest")
    assert "4 items" in notification.text
    # The executive, the programme admin and the outsider have nothing: no digest.
    assert not DigestLog.objects.filter(user__in=[people.executive, people.outsider]).exists()
    assert not [m for m in mail.outbox if m.to == [people.outsider.email]]


def test_no_digest_when_there_is_nothing_to_say(people, plan, django_capture_on_commit_callbacks):
    ActionFactory(plan=plan, owner=people.manager, due_on=TODAY + timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.digests_send(now=NOW)
    assert counts["sent"] == 0
    assert not DigestLog.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_failure_mid_batch_sends_nothing_and_the_retry_sends_once(
    people, busy, monkeypatch, django_capture_on_commit_callbacks
):
    real = Notification.objects.bulk_create

    def broken(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(Notification.objects, "bulk_create", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.digests_send(now=NOW)
    assert not DigestLog.objects.exists()
    assert mail.outbox == []
    monkeypatch.setattr(Notification.objects, "bulk_create", real)
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send(now=NOW)
    assert len([m for m in mail.outbox if m.to == [people.manager.email]]) == 1


def test_a_concurrent_run_that_logged_first_keeps_the_digest(people, busy):
    """The other run inserted the log between our check and our insert: we send nothing."""
    digest = selectors.build_digests(users=[people.manager], now=NOW)[people.manager.pk]
    DigestLog.objects.create(user=people.manager, sent_on=TODAY, batch="0" * 32)
    assert services._send_digest_batch([digest]) == 0
    assert not Notification.objects.exists()


def test_weekly_digests_go_out_on_monday_in_the_users_time_zone(
    people, busy, django_capture_on_commit_callbacks
):
    DigestPreferenceFactory(user=people.manager, frequency="weekly")
    services.digests_send(now=datetime(2027, 4, 7, 9, 0, tzinfo=UTC))  # a Wednesday
    assert not DigestLog.objects.filter(user=people.manager).exists()

    # Sunday 11 April 2027, 13:00 UTC: already Monday 01:00 in Auckland, still Sunday in London.
    sunday = datetime(2027, 4, 11, 13, 0, tzinfo=UTC)
    people.manager.time_zone = "Pacific/Auckland"
    people.manager.save()
    services.digests_send(now=sunday)
    log = DigestLog.objects.get(user=people.manager)
    assert log.sent_on == date(2027, 4, 12)


def test_the_users_time_zone_decides_today(people, busy):
    # 23:30 UTC on 7 April is already 8 April in Berlin: the deck due on 10 April is still due,
    # the call due on 5 April was overdue either way; stale plan days count from local today.
    late = datetime(2027, 4, 7, 23, 30, tzinfo=UTC)
    people.manager.time_zone = "Europe/Berlin"
    people.manager.save()
    assert selectors.user_today(people.manager, late) == date(2027, 4, 8)
    services.digests_send(now=late)
    assert DigestLog.objects.get(user=people.manager).sent_on == date(2027, 4, 8)


@pytest.mark.parametrize("extra_users", [3, 30])
def test_building_digests_costs_the_same_queries_at_two_sizes(
    people, busy, extra_users, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for i in range(extra_users):
        user = UserFactory()
        account = KeyAccountFactory()
        MembershipFactory(user=user, key_account=account, role="manager")
        plan = AccountPlanFactory(key_account=account)
        ActionFactory(plan=plan, owner=user, due_on=TODAY + timedelta(days=i % 7))
        ReviewFactory(plan=plan, quarter="2027-Q2")
        meeting = MeetingFactory(
            key_account=account,
            starts_at=NOW + timedelta(hours=20),
            ends_at=NOW + timedelta(hours=21),
        )
        meeting.attendees.add(user)
        DigestPreferenceFactory(user=user)
    with (
        django_capture_on_commit_callbacks() as after_commit,
        django_assert_max_num_queries(22),  # 2 for the discounts waiting for directors
    ):
        counts = services.digests_send(now=NOW)
    # The e-mails, sent by a task after the commit: each is claimed, sent and marked sent in a
    # transaction of its own (a crash never re-sends a batch), so a fixed cost per e-mail: the
    # claim, the update and the savepoint pair the test's own transaction adds.
    mails = extra_users + 4
    with django_assert_max_num_queries(4 * mails + 4):
        for callback in after_commit:
            callback()
    assert counts["sent"] == extra_users + 4
    assert len(mail.outbox) == extra_users + 4


def test_digest_page_lists_the_items_and_settings_change_them(client_for, people, busy):
    client = client_for(people.manager)
    page = client.get(reverse("rhythm:digest")).content.decode()
    assert not page_problems(page)
    assert "Send the QBR deck" in page and "Plans not updated for 90 days" in page
    settings_page = client.get(reverse("rhythm:digest_settings")).content.decode()
    assert not page_problems(settings_page)
    response = client.post(
        reverse("rhythm:digest_settings"),
        {"frequency": "weekly", "reviews": "on", "revision": "0"},
    )
    assert response.status_code == 302
    preference = people.manager.digest_preference
    assert preference.frequency == "weekly"
    assert (preference.actions, preference.reviews) == (False, True)
    page = client.get(reverse("rhythm:digest")).content.decode()
    assert "Send the QBR deck" not in page and "Quarterly review 2027-Q2" in page
    assert "weekly" in page.lower()


def test_settings_saved_elsewhere_meanwhile_are_not_overwritten(client_for, people):
    client = client_for(people.manager)
    client.post(reverse("rhythm:digest_settings"), {"frequency": "weekly", "revision": "0"})
    response = client.post(
        reverse("rhythm:digest_settings"), {"frequency": "daily", "actions": "on", "revision": "0"}
    )
    assert response.status_code == 409
    people.manager.digest_preference.refresh_from_db()
    assert people.manager.digest_preference.frequency == "weekly"
    page = response.content.decode()
    assert "changed elsewhere" in page


def test_invalid_settings_rerender_with_an_error(client_for, people):
    response = client_for(people.manager).post(reverse("rhythm:digest_settings"), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_a_long_noted_idea_pursued_lately_counts_its_days_from_the_decision(people, plan):
    from datetime import datetime, time

    from django.utils import timezone

    from opportunities.models import Opportunity, OpportunityDecision
    from tests.factories import OpportunityFactory

    account = plan.key_account
    noted = timezone.make_aware(datetime.combine(TODAY - timedelta(days=300), time(9)))

    def idea_pursued(title: str, days_ago: int) -> Opportunity:
        opportunity = OpportunityFactory(key_account=account, status="pursuing", title=title)
        Opportunity.objects.filter(pk=opportunity.pk).update(created_at=noted)
        decision = OpportunityDecision.objects.create(
            opportunity=opportunity, decision="pursue", reason="Now is the time."
        )
        decided = timezone.make_aware(datetime.combine(TODAY - timedelta(days=days_ago), time(9)))
        OpportunityDecision.objects.filter(pk=decision.pk).update(decided_at=decided)
        return opportunity

    idea_pursued("Pursued yesterday", 1)
    idea_pursued("Pursued 45 days ago", 45)
    digests = selectors.build_digests(users=[people.manager], now=NOW)
    manager = digests[people.manager.pk]
    # Noted 300 days ago: without the decision both read "No check-in for 300 days".
    assert _titles(manager, "monitoring") == ["Opportunity: Pursued 45 days ago"]
    details = {item.title: item.detail for _k, _l, items in manager.sections() for item in items}
    assert details["Opportunity: Pursued 45 days ago"] == "No check-in for 45 days"


def test_managers_hear_of_opportunities_and_targets_nobody_checked(people, plan):
    from delivery.models import CheckIn
    from tests.factories import ObjectiveFactory, OpportunityFactory, TargetFactory
    from tests.planning.factories import MeasurementFactory

    account = plan.key_account
    quiet = OpportunityFactory(key_account=account, status="pursuing", title="Shelf-life trays")
    CheckIn.objects.create(
        opportunity=quiet, checked_on=TODAY - timedelta(days=40), status="pursuing"
    )
    lively = OpportunityFactory(key_account=account, status="pursuing", title="Deli range")
    CheckIn.objects.create(
        opportunity=lively, checked_on=TODAY - timedelta(days=10), status="pursuing"
    )
    OpportunityFactory(key_account=account, status="idea", title="Not pursued yet")
    objective = ObjectiveFactory(plan=plan)
    stale = TargetFactory(objective=objective, kpi="On time in full")
    MeasurementFactory(target=stale, measured_on=TODAY - timedelta(days=100))
    fresh = TargetFactory(objective=objective, kpi="Share of wallet")
    MeasurementFactory(target=fresh, measured_on=TODAY - timedelta(days=20))
    # The plan page's "measure again" rule: more than 92 days, still to reach, not past due.
    TargetFactory(objective=objective, kpi="Measured 92 days ago").measurements.create(
        measured_on=TODAY - timedelta(days=92), actual=120
    )
    TargetFactory(objective=objective, kpi="Measured 93 days ago").measurements.create(
        measured_on=TODAY - timedelta(days=93), actual=120
    )
    TargetFactory(objective=objective, kpi="Reached").measurements.create(
        measured_on=TODAY - timedelta(days=120),
        actual=200,  # 100 -> 200: the whole way
    )
    TargetFactory(
        objective=objective,
        kpi="Past its due date",
        baseline_on=TODAY - timedelta(days=300),
        due_on=TODAY - timedelta(days=1),
    )
    TargetFactory(
        objective=objective, kpi="Never measured", baseline_on=TODAY - timedelta(days=110)
    )
    digests = selectors.build_digests(users=[people.manager, people.coordinator], now=NOW)
    manager = digests[people.manager.pk]
    assert _titles(manager, "monitoring") == [
        "Target: Never measured",
        "Target: On time in full",
        "Target: Measured 93 days ago",
        "Opportunity: Shelf-life trays",
    ]
    details = {item.title: item.detail for _k, _l, items in manager.sections() for item in items}
    assert details["Opportunity: Shelf-life trays"] == "No check-in for 40 days"
    started = date_format(TODAY - timedelta(days=110), "PADDED_DATE_FORMAT")
    assert details["Target: Never measured"] == f"Not measured since its start on {started}"
    links = {item.title: item.link for _k, _l, items in manager.sections() for item in items}
    progress = reverse("delivery:progress", args=[account.pk])
    assert links["Target: On time in full"] == f"{progress}?measure={stale.pk}#target-{stale.pk}"
    assert _titles(digests[people.coordinator.pk], "monitoring") == []  # not theirs to lead
    DigestPreferenceFactory(user=people.manager, monitoring=False)
    people.manager.refresh_from_db()
    digests = selectors.build_digests(users=[people.manager], now=NOW)
    assert _titles(digests[people.manager.pk], "monitoring") == []


def test_every_digest_kind_has_its_builders_and_nothing_else():
    assert {kind for kind, _builder in selectors.DIGEST_BUILDERS} == set(selectors.DIGEST_KINDS)


def test_a_kind_nobody_wants_costs_no_query(people, busy, django_assert_num_queries):
    DigestPreferenceFactory(user=people.manager, **{kind: False for kind in selectors.DIGEST_KINDS})
    users = list(User.objects.filter(pk=people.manager.pk).select_related("digest_preference"))
    with django_assert_num_queries(2):  # the executives among them, their memberships
        digest = selectors.build_digests(users=users, now=NOW)[people.manager.pk]
    assert digest.count == 0


def test_authors_are_reminded_of_sent_quotes_ending_within_a_week(people, plan):
    account = plan.key_account

    def quote(number, days, *, status="sent", author=people.coordinator):
        made = QuoteFactory(
            key_account=account,
            number=number,
            status=status,
            prepared_by=author,
            valid_until=TODAY + timedelta(days=days),
        )
        QuoteLineFactory(quote=made)
        return made

    last_day = quote("Q-2027-0001", 0)
    ending = quote("Q-2027-0002", 6)
    quote("Q-2027-0003", 7)  # a week and more: not yet
    quote("Q-2027-0004", -1)  # already past: the expiry job's, not a reminder
    quote("Q-2027-0005", 3, status="draft")
    quote("Q-2027-0006", 2, author=people.manager)  # the manager's own
    digests = selectors.build_digests(users=[people.coordinator, people.manager], now=NOW)

    items = {i.title: i for i in digests[people.coordinator.pk].items["quotes"]}
    assert _titles(digests[people.coordinator.pk], "quotes") == [
        "Quote Q-2027-0001: Annual supply",
        "Quote Q-2027-0002: Annual supply",
    ]
    first = items["Quote Q-2027-0001: Annual supply"]
    assert (first.detail, first.overdue, first.link) == (
        "Last day of validity today; no answer yet",
        True,
        last_day.get_absolute_url(),
    )
    until = selectors._day(TODAY + timedelta(days=6))
    assert items["Quote Q-2027-0002: Annual supply"].detail == (
        f"Valid until {until} (6 days left); no answer yet"
    )
    assert items["Quote Q-2027-0002: Annual supply"].link == ending.get_absolute_url()
    assert _titles(digests[people.manager.pk], "quotes") == ["Quote Q-2027-0006: Annual supply"]
    # Read where the author reads it: the digest e-mail, in French too.
    people.coordinator.language = "fr"
    people.coordinator.save(update_fields=["language"])
    services.digests_send(now=NOW)
    told = Notification.objects.get(user=people.coordinator, link=reverse("rhythm:digest"))
    assert "Vos devis arrivant à échéance sous 7 jours sans réponse" in told.email_body
    assert "Dernier jour de validité aujourd’hui\u00a0; pas encore de réponse" in told.email_body
    DigestPreferenceFactory(user=people.manager, quotes=False)
    people.manager.refresh_from_db()
    digests = selectors.build_digests(users=[people.manager], now=NOW)
    assert _titles(digests[people.manager.pk], "quotes") == []


def test_directors_are_reminded_of_quote_discounts_waiting_for_them(people, plan):
    """The programme's limit is 10 %: 10 x 100.00 less 15 % is 850.00, 15.00 % off list."""
    account = plan.key_account

    def draft(number, discount, **extra):
        made = QuoteFactory(
            key_account=account, number=number, prepared_by=people.coordinator, **extra
        )
        QuoteLineFactory(
            quote=made,
            quantity=Decimal("10"),
            unit_price=Decimal("100.00"),
            discount_percent=Decimal(discount),
        )
        return made

    waiting = draft("Q-2027-0011", "15")
    draft("Q-2027-0012", "5")  # within the limit
    draft("Q-2027-0013", "15", discount_approved_at=timezone.now())
    draft("Q-2027-0014", "15", discount_refused_at=timezone.now(), discount_refusal_reason="No")
    draft("Q-2027-0015", "15", status="sent")
    users = [people.director, people.manager, people.coordinator]
    digests = selectors.build_digests(users=users, now=NOW)

    (item,) = digests[people.director.pk].items["approvals"]
    created = selectors._day(timezone.localdate(waiting.created_at))
    assert (item.title, item.detail, item.link) == (
        "Quote Q-2027-0011: Annual supply",
        f"15.00 % off list, drafted by {people.coordinator} on {created}",
        waiting.get_absolute_url(),
    )
    with override("fr"):
        assert str(item.detail).startswith("15,00\u00a0% sous le tarif, préparé par")
    assert "approvals" not in digests[people.manager.pk].items  # directors decide
    assert "approvals" not in digests[people.coordinator.pk].items
    # The day it was drafted is the reader's: drafted at 12:00 UTC on 5 December 2026, it is
    # 6 December in Auckland (UTC+13 in summer) for a director who lives there.
    Quote.objects.filter(pk=waiting.pk).update(created_at=datetime(2026, 12, 5, 12, 0, tzinfo=UTC))
    people.director.time_zone = "Pacific/Auckland"
    people.director.save(update_fields=["time_zone"])
    digests = selectors.build_digests(users=[people.director], now=NOW)
    (item,) = digests[people.director.pk].items["approvals"]
    assert str(item.detail) == f"15.00 % off list, drafted by {people.coordinator} on 06 Dec 2026"
    # Once decided, nobody is reminded.
    Quote.objects.filter(pk=waiting.pk).update(discount_approved_at=timezone.now())
    digests = selectors.build_digests(users=[people.director], now=NOW)
    assert "approvals" not in digests[people.director.pk].items


def test_a_digest_of_one_item_says_it_needs_attention_in_the_readers_words(
    people, plan, django_capture_on_commit_callbacks
):
    """One item: "1 item needs", not "1 item need"; a French reader's list puts a no-break
    space before the colon, as the French catalogue does everywhere else."""
    due = TODAY + timedelta(days=3)
    ActionFactory(plan=plan, owner=people.team_member, title="Send the QBR deck", due_on=due)
    people.coordinator.language = "fr"
    people.coordinator.save(update_fields=["language"])
    ActionFactory(plan=plan, owner=people.coordinator, title="Book the trial", due_on=due)
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send(now=NOW)

    day = date_format(TODAY, "PADDED_WEEKDAY_MONTH_DAY_FORMAT")
    told = Notification.objects.get(user=people.team_member)
    assert told.text == f"Your reminders for {day}: 1 item needs your attention."
    message = next(m for m in mail.outbox if m.to == [people.team_member.email])
    assert message.subject == f"KAM Programme: 1 reminder for {day}"
    assert "1 thing needs your attention" in message.body
    assert (
        f"- Send the QBR deck (Northwind Foods): Due {date_format(due, 'PADDED_DATE_FORMAT')}\n"
        in message.body
    )

    with override("fr"):
        jour = date_format(TODAY, "PADDED_WEEKDAY_MONTH_DAY_FORMAT")
        echeance = date_format(due, "PADDED_DATE_FORMAT")
    told = Notification.objects.get(user=people.coordinator)
    assert told.text == f"Vos rappels du {jour}\u00a0: 1 élément demande votre attention."
    message = next(m for m in mail.outbox if m.to == [people.coordinator.email])
    # The product keeps its name in French, as in every other e-mail's subject.
    assert message.subject == f"KAM Programme\u00a0: 1 rappel pour le {jour}"
    assert f"- Book the trial (Northwind Foods)\u00a0: Échéance le {echeance}\n" in message.body
    html, _mime = message.alternatives[0]
    assert "Northwind Foods\u00a0: Échéance le" in html
    # A document of its own: language, title, one heading of level 1 above the sections' h2.
    assert '<html lang="fr">' in html and "<h1" in html
    assert not page_problems(html)


def test_a_stale_plan_counts_its_days_in_the_readers_time_zone(people, plan):
    """Last saved at 20:00 UTC 100 days before today: already the next day in Tokyo (UTC+9,
    no summer time), so a manager there reads 99 days; one in London reads 100."""
    saved = datetime.combine(TODAY - timedelta(days=100), time(20, 0), tzinfo=UTC)
    AccountPlan.objects.filter(pk=plan.pk).update(updated_at=saved)
    people.manager.time_zone = "Asia/Tokyo"
    people.manager.save(update_fields=["time_zone"])
    digests = selectors.build_digests(users=[people.manager, people.director], now=NOW)
    (tokyo,) = digests[people.manager.pk].items["stale_plans"]
    assert str(tokyo.detail) == "Last updated 99 days ago"
    (london,) = digests[people.director.pk].items["stale_plans"]
    assert str(london.detail) == "Last updated 100 days ago"
