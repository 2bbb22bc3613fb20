"""My work: a person's own actions, meetings and reviews across their accounts."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from planning.models import Review
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    KeyAccountFactory,
    MeetingFactory,
    MembershipFactory,
    ObjectiveFactory,
    QuoteFactory,
    QuoteLineFactory,
    TargetFactory,
)

from .conftest import at

URL = reverse("delivery:index")


def test_my_work_sorts_actions_into_overdue_this_week_and_waiting(client_for, people, plan):
    today = timezone.localdate()
    me = people.team_member
    ActionFactory(plan=plan, owner=me, title="Late report", due_on=today - timedelta(days=2))
    ActionFactory(plan=plan, owner=me, title="Friday call", due_on=today + timedelta(days=3))
    ActionFactory(
        plan=plan, owner=me, title="Await legal", due_on=today + timedelta(60), status="waiting"
    )
    ActionFactory(plan=plan, owner=me, title="Next quarter", due_on=today + timedelta(days=60))
    ActionFactory(plan=plan, owner=me, title="Finished", due_on=today, status="done")
    ActionFactory(plan=plan, owner=people.manager, title="Not mine", due_on=today)
    client = client_for(me)
    html = client.get(URL).content.decode()
    for title in ("Late report", "Friday call", "Await legal"):
        assert title in html
    for title in ("Next quarter", "Finished", "Not mine"):
        assert title not in html
    assert 'class="table-overdue"' in html and "Overdue" in html
    overdue = client.get(URL, {"show": "overdue"}).content.decode()
    assert "Late report" in overdue and "Friday call" not in overdue
    waiting = client.get(URL, {"show": "waiting"}).content.decode()
    assert "Await legal" in waiting and "Late report" not in waiting


def test_my_work_leaves_out_actions_of_archived_plans_and_hidden_accounts(
    client_for, people, account, other_account
):
    AccountPlanFactory(key_account=account, is_current=False, period="FY2020")
    old = AccountPlanFactory(key_account=account, is_current=False, period="FY2021")
    ActionFactory(
        plan=old, owner=people.manager, title="Old plan action", due_on=timezone.localdate()
    )
    hidden = AccountPlanFactory(key_account=other_account)
    ActionFactory(
        plan=hidden, owner=people.manager, title="Lost access", due_on=timezone.localdate()
    )
    html = client_for(people.manager).get(URL).content.decode()
    assert "Old plan action" not in html and "Lost access" not in html


def test_my_work_shows_my_meetings_missing_follow_ups_and_reviews(client_for, people, plan):
    upcoming = MeetingFactory(
        key_account=plan.key_account,
        title="Pricing workshop",
        starts_at=at(2, 10),
        ends_at=at(2, 11),
    )
    upcoming.attendees.add(people.manager)
    not_mine = MeetingFactory(key_account=plan.key_account, title="Depot walk")
    not_mine.attendees.add(people.team_member)
    silent = MeetingFactory(
        key_account=plan.key_account,
        title="Forgotten debrief",
        starts_at=at(-6, 10),
        ends_at=at(-6, 11),
    )
    silent.attendees.add(people.manager)
    today = timezone.localdate()
    Review.objects.create(plan=plan, quarter="2030-Q1", opened_on=today, due_on=today)
    html = client_for(people.manager).get(URL).content.decode()
    assert "Pricing workshop" in html
    assert "Depot walk" not in html
    assert "Forgotten debrief" in html
    assert "2030-Q1 review" in html
    # A coordinator does not review plans.
    assert "2030-Q1 review" not in client_for(people.coordinator).get(URL).content.decode()


def test_each_action_row_has_a_one_click_progress_form(client_for, people, plan):
    ActionFactory(plan=plan, owner=people.team_member, due_on=timezone.localdate())
    html = client_for(people.team_member).get(URL).content.decode()
    assert "Save</button>" in html


def _many_actions(user, n):
    for _ in range(n):
        account = KeyAccountFactory()
        MembershipFactory(user=user, key_account=account, role="manager")
        plan = AccountPlanFactory(key_account=account)
        ActionFactory(plan=plan, owner=user, due_on=timezone.localdate() - timedelta(days=1))
        meeting = MeetingFactory(key_account=account)
        meeting.attendees.add(user)
        Review.objects.create(
            plan=plan,
            quarter="2030-Q2",
            opened_on=timezone.localdate(),
            due_on=timezone.localdate(),
        )
        QuoteLineFactory(quote=QuoteFactory(key_account=account, prepared_by=user, status="sent"))
        # A target measured 150 days ago: due a new measurement (Targets to measure again).
        target = TargetFactory(
            objective=ObjectiveFactory(plan=plan),
            baseline_on=timezone.localdate() - timedelta(days=200),
            due_on=timezone.localdate() + timedelta(days=100),
        )
        target.measurements.create(
            measured_on=timezone.localdate() - timedelta(days=150), actual=target.baseline
        )


def test_my_work_costs_the_same_queries_at_two_sizes(
    client_for, people, django_assert_max_num_queries
):
    client = client_for(people.manager)
    _many_actions(people.manager, 3)
    # 16: the customer proposals waiting for the manager are one more query (workspace), the
    # targets to measure again one more (planning.selectors.targets_to_measure_again).
    with django_assert_max_num_queries(16):
        assert client.get(URL).status_code == 200
    _many_actions(people.manager, 30)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 25
    assert "Page 1 of 2" in response.content.decode()
    assert len(response.context["quotes"]) == 20
    assert len(response.context["to_measure"]) == 20


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response.url


def test_my_work_lists_my_quotes_awaiting_an_answer_or_new_prices(
    client_for, people, account, other_account
):
    """A sent quote stays "sent" until someone records the customer's answer, even past its
    validity: its author finds it on My work, with its total, the lapsed ones first and
    flagged; so is a draft whose discount a director refused."""
    today = timezone.localdate()
    me = people.coordinator

    def quote(number, status, days, lines, **over):
        made = QuoteFactory(
            key_account=over.pop("key_account", account),
            number=number,
            title=f"Trays {number}",
            status=status,
            valid_until=today + timedelta(days=days),
            prepared_by=over.pop("prepared_by", me),
            **over,
        )
        for quantity, price, discount in lines:
            QuoteLineFactory(
                quote=made,
                quantity=Decimal(quantity),
                unit_price=Decimal(price),
                discount_percent=Decimal(discount),
            )
        return made

    # 3 x 19.99 = 59.97 less 12.5 % = 52.47375 -> 52.47; + 2 x 100 = 200; total 252.47
    quote("Q-LAPSED", "sent", -2, [("3", "19.99", "12.5"), ("2", "100", "0")])
    # 1,000 x 0.4375 = 437.50, less 2 % overall (8.75) = 428.75
    quote("Q-WAITING", "sent", 10, [("1000", "0.4375", "0")], overall_discount_percent=Decimal("2"))
    quote(
        "Q-REFUSED",
        "draft",
        20,
        [("10", "100", "0")],
        overall_discount_percent=Decimal("30"),
        discount_refused_by=people.director,
        discount_refused_at=timezone.now(),
        discount_refusal_reason="Too deep",
    )
    quote("Q-DONE", "accepted", 5, [("1", "1", "0")])
    quote("Q-PLAIN-DRAFT", "draft", 5, [("1", "1", "0")])
    quote("Q-NOT-MINE", "sent", 5, [("1", "1", "0")], prepared_by=people.manager)
    quote("Q-HIDDEN", "sent", 5, [("1", "1", "0")], key_account=other_account)

    html = client_for(me).get(URL).content.decode()
    box = html[html.index('id="my-quotes"') :]
    box = box[: box.index("</ul>")]
    assert box.index("Q-LAPSED") < box.index("Q-WAITING") < box.index("Q-REFUSED")
    for absent in ("Q-DONE", "Q-PLAIN-DRAFT", "Q-NOT-MINE", "Q-HIDDEN"):
        assert absent not in box
    lapsed, waiting, refused = (
        box[box.index(n) :][:600] for n in ("Q-LAPSED", "Q-WAITING", "Q-REFUSED")
    )
    assert "EUR 252.47" in lapsed and "<strong>validity passed</strong>" in lapsed
    assert "EUR 428.75" in waiting and "awaiting the customer" in waiting
    # 10 x 100 = 1,000 less 30 % = 700.00
    assert "EUR 700.00" in refused and "Discount refused by Dana Director" in refused


def test_a_meeting_with_follow_ups_but_no_notes_is_listed_as_not_written_up(
    client_for, people, account, plan
):
    """What flags a held meeting is its missing notes, not its follow-up actions: the list said
    "Meetings missing a follow-up" and the meeting "Follow-up missing" beside the follow-ups it
    had."""
    meeting = MeetingFactory(
        key_account=account, title="Line trial debrief", starts_at=at(-5, 10), ends_at=at(-5, 11)
    )
    meeting.attendees.add(people.manager)
    meeting.follow_ups.add(ActionFactory(plan=plan, owner=people.manager, title="Send samples"))
    client = client_for(people.manager)
    html = client.get(URL).content.decode()
    section = html.split("Meetings not written up</h2>")[1].split("</ul>")[0]
    assert "Line trial debrief" in section
    assert "no notes yet" in section
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Write-up missing" in page and "Send samples" in page
    assert "Follow-up missing" not in page and "missing a follow-up" not in html
