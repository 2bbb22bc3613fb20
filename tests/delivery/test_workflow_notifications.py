"""Workflow steps tell the people who act next: a submitted plan its director(s), a returned or
approved plan its manager(s), an assigned action its new owner, a discount above the limit the
director(s) and their approval the quote's author. Never the person who took the step, never
anyone off the account's team, once per step."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from notifications.models import Notification
from planning.models import AccountPlan, Action
from tests.factories import (
    AccountPlanFactory,
    ActionFactory,
    QuoteFactory,
    QuoteLineFactory,
    UserFactory,
    add_required_parts,
)

EVERYONE = (
    "director",
    "manager",
    "coordinator",
    "team_member",
    "executive",
    "outsider",
    "other_director",
    "other_manager",
)


@pytest.fixture
def plan(account, people):
    """A plan with the parts submission requires (planning.rules.PLAN_PARTS)."""
    plan = AccountPlanFactory(key_account=account, period="FY2027", updated_by=people.manager)
    return add_required_parts(plan, owner=people.manager)


@pytest.fixture
def step(client_for, django_capture_on_commit_callbacks):
    """step(user, url, data) -> POST as `user`, running what waits for the commit."""

    def post(user, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(user).post(url, data or {})
        assert response.status_code == 302, response.content.decode()[:500]
        return response

    return post


def told(people, *, only=()) -> dict[str, int]:
    """How many notifications each persona has; everyone not in `only` must have none."""
    counts = {
        who: Notification.objects.filter(user=getattr(people, who)).count() for who in EVERYONE
    }
    quiet = {who: n for who, n in counts.items() if who not in only}
    assert not any(quiet.values()), f"told who should not be: {quiet}"
    return {who: counts[who] for who in only}


def listed_on_notifications_page(client, text: str) -> str:
    """The notification is on /notifications/; its link opens for the same person."""
    page = client.get(reverse("notifications:index")).content.decode()
    match = re.search(r'<a href="([^"]+)">([^<]*)</a>', page.split("list-group", 1)[1])
    assert match, page
    link, shown = html.unescape(match.group(1)), html.unescape(match.group(2))
    assert text in shown
    assert client.get(link).status_code == 200
    return link


def plan_url(name, plan):
    return reverse(f"planning:{name}", args=[plan.key_account_id])


# ---- the plan's workflow ------------------------------------------------------------------


def test_submitting_a_plan_tells_the_director_with_a_link_to_the_plan(
    client_for, people, plan, step
):
    step(people.manager, plan_url("submit", plan))
    assert told(people, only=["director"]) == {"director": 1}
    link = listed_on_notifications_page(
        client_for(people.director),
        "Max Manager submitted the Northwind Foods plan FY2027 for your approval.",
    )
    assert link == plan_url("plan", plan) + "#workflow"


def test_a_director_submitting_their_own_plan_is_not_told_about_it(people, plan, step):
    step(people.director, plan_url("submit", plan))
    told(people)


def test_the_accounts_director_of_the_day_is_told(people, account, plan, step):
    # An account has one director (the database keeps it): handed over to Dora, she is told.
    second = UserFactory(username="dora", first_name="Dora")
    account.memberships.filter(role=Role.DIRECTOR).update(user=second)
    step(people.manager, plan_url("submit", plan))
    assert Notification.objects.filter(user=second).count() == 1
    assert told(people, only=["director"]) == {"director": 0}


def test_a_director_who_left_the_company_is_not_told(people, plan, step):
    people.director.is_active = False
    people.director.save()
    step(people.manager, plan_url("submit", plan))
    assert told(people, only=["director"]) == {"director": 0}


def test_returning_a_plan_tells_the_managers_the_comment(client_for, people, plan, step):
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    step(people.director, plan_url("return", plan), {"comment": "Quantify the second objective."})
    assert told(people, only=["manager"]) == {"manager": 1}
    listed_on_notifications_page(
        client_for(people.manager),
        "Dana Director returned the Northwind Foods plan FY2027: Quantify the second objective.",
    )


def test_approving_a_plan_tells_the_managers_with_a_link_to_the_version(
    client_for, people, plan, step
):
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    step(people.director, plan_url("approve", plan), {"comment": "Good"})
    assert told(people, only=["manager"]) == {"manager": 1}
    link = listed_on_notifications_page(
        client_for(people.manager),
        "Dana Director approved the Northwind Foods plan FY2027 as version 1.",
    )
    assert link == reverse("planning:version", args=[plan.key_account_id, 1])


def test_editing_a_submitted_plan_tells_the_director_it_is_back_in_draft(
    client_for, people, plan, step
):
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    url = reverse("planning:section_save", args=[plan.key_account_id, "value_proposition"])
    step(people.manager, url, {"value_proposition": "Fresher, cheaper cold chain.", "revision": 0})
    assert told(people, only=["director"]) == {"director": 1}
    listed_on_notifications_page(
        client_for(people.director),
        "Max Manager changed the Northwind Foods plan FY2027 while it waited for your approval",
    )
    # Now a draft: further edits tell nobody.
    step(people.manager, url, {"value_proposition": "Fresher again.", "revision": 1})
    assert told(people, only=["director"]) == {"director": 1}


def test_a_refused_step_tells_nobody(people, plan, step):
    # A draft cannot be approved: the service refuses, nothing commits, nobody is told.
    step(people.director, plan_url("approve", plan))
    told(people)


def test_a_full_round_tells_each_person_once_per_step(people, plan, step):
    step(people.manager, plan_url("submit", plan))
    step(people.director, plan_url("return", plan), {"comment": "Add a risk."})
    step(people.manager, plan_url("submit", plan))
    step(people.director, plan_url("approve", plan))
    assert told(people, only=["director", "manager"]) == {"director": 2, "manager": 2}


# ---- actions assigned in the plan editor --------------------------------------------------


def action_data(owner, **overrides):
    data = {
        "title": "Book the tasting session",
        "owner": owner.pk,
        "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    data.update(overrides)
    return data


def add_action_url(plan):
    return reverse("planning:item_add", args=[plan.key_account_id, "action"])


def edit_action_url(action):
    return reverse("planning:item_edit", args=[action.plan.key_account_id, "action", action.pk])


def test_a_new_action_tells_its_owner_with_a_link_to_it(client_for, people, plan, step):
    step(people.manager, add_action_url(plan), action_data(people.team_member))
    action = Action.objects.get(plan=plan, title="Book the tasting session")
    assert told(people, only=["team_member"]) == {"team_member": 1}
    link = listed_on_notifications_page(
        client_for(people.team_member),
        "Max Manager gave you an action on Northwind Foods: Book the tasting session",
    )
    assert link == reverse("delivery:action_detail", args=[plan.key_account_id, action.pk])


def test_saving_an_action_again_does_not_tell_its_owner_again(people, plan, step):
    step(people.manager, add_action_url(plan), action_data(people.team_member))
    action = Action.objects.get(plan=plan, title="Book the tasting session")
    step(
        people.manager,
        edit_action_url(action),
        action_data(people.team_member, title="Book the tasting day", revision=action.revision),
    )
    assert told(people, only=["team_member"]) == {"team_member": 1}


def test_reassigning_an_action_tells_the_new_owner_only(people, plan, step):
    action = ActionFactory(plan=plan, owner=people.team_member, title="Send samples")
    step(
        people.manager,
        edit_action_url(action),
        action_data(people.coordinator, title="Send samples", revision=action.revision),
    )
    assert told(people, only=["coordinator"]) == {"coordinator": 1}
    assert "Send samples" in Notification.objects.get(user=people.coordinator).text


def test_an_action_one_gives_oneself_tells_nobody(people, plan, step):
    step(people.manager, add_action_url(plan), action_data(people.manager))
    told(people)


# ---- quote discounts ----------------------------------------------------------------------


def quote_post(**over):
    data = {
        "title": "Clean-label ingredients 2027",
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "overall_discount_percent": "15",
        "notes": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-description": "Ingredient blend, 25 kg bags",
        "lines-0-quantity": "10",
        "lines-0-unit_price": "100",
        "lines-0-discount_percent": "0",
    }
    data.update(over)
    return data


def create_quote_url(account):
    return reverse("delivery:quote_create", args=[account.pk])


def edit_quote_url(quote):
    return reverse("delivery:quote_edit", args=[quote.key_account_id, quote.pk])


def approve_url(quote):
    return reverse("delivery:quote_approve", args=[quote.key_account_id, quote.pk])


def test_a_discount_above_the_limit_asks_the_director_with_a_link_to_the_quote(
    client_for, people, account, step
):
    step(people.coordinator, create_quote_url(account), quote_post())
    quote = account.quotes.get()
    assert told(people, only=["director"]) == {"director": 1}
    link = listed_on_notifications_page(
        client_for(people.director),
        f"Chloé Coordinator asks you to approve a 15.00 % discount on quote {quote.number} "
        "for Northwind Foods (limit 10.00 %).",
    )
    assert link == quote.get_absolute_url()


def test_a_discount_within_the_limit_asks_nobody(people, account, step):
    step(people.coordinator, create_quote_url(account), quote_post(overall_discount_percent="5"))
    told(people)


def test_editing_a_quote_that_already_waits_does_not_ask_again(people, account, step):
    step(people.coordinator, create_quote_url(account), quote_post())
    quote = account.quotes.get()
    step(people.coordinator, edit_quote_url(quote), quote_post(title="Renamed", revision="0"))
    step(
        people.coordinator,
        edit_quote_url(quote),
        quote_post(overall_discount_percent="16", revision="1"),
    )
    assert told(people, only=["director"]) == {"director": 1}


def test_a_quote_edited_above_the_limit_asks_the_director(people, account, step):
    step(people.coordinator, create_quote_url(account), quote_post(overall_discount_percent="5"))
    quote = account.quotes.get()
    step(people.coordinator, edit_quote_url(quote), quote_post(revision="0"))
    assert told(people, only=["director"]) == {"director": 1}


def test_approval_tells_the_author_and_a_price_change_asks_again(client_for, people, account, step):
    step(people.coordinator, create_quote_url(account), quote_post())
    quote = account.quotes.get()
    step(people.director, approve_url(quote))
    assert told(people, only=["director", "coordinator"]) == {"director": 1, "coordinator": 1}
    listed_on_notifications_page(
        client_for(people.coordinator),
        f"Dana Director approved the discount on your quote {quote.number} for Northwind "
        "Foods; it can now be sent.",
    )
    # The new price withdraws the approval: the quote waits for the director again.
    step(
        people.coordinator,
        edit_quote_url(quote),
        quote_post(overall_discount_percent="18", revision="1"),
    )
    assert told(people, only=["director", "coordinator"]) == {"director": 2, "coordinator": 1}


def test_a_director_drafting_and_approving_their_own_quote_is_told_nothing(people, account, step):
    step(people.director, create_quote_url(account), quote_post())
    step(people.director, approve_url(account.quotes.get()))
    told(people)


def test_an_author_who_left_the_team_is_not_told_of_the_approval(people, account, step):
    author = UserFactory(username="ana", first_name="Ana")
    quote = QuoteFactory(
        key_account=account, prepared_by=author, overall_discount_percent=Decimal("15")
    )
    QuoteLineFactory(quote=quote)
    assert not Membership.objects.filter(user=author).exists()
    step(people.director, approve_url(quote))
    assert not Notification.objects.filter(user=author).exists()
    told(people)


def refuse_url(quote):
    return reverse("delivery:quote_refuse", args=[quote.key_account_id, quote.pk])


def test_a_refused_discount_tells_the_author_why_and_new_prices_ask_again(
    client_for, people, account, step
):
    from delivery.services.quotes import quote_change_status

    step(people.coordinator, create_quote_url(account), quote_post())
    quote = account.quotes.get()
    director = client_for(people.director)
    assert quote.number in director.get(reverse("home")).content.decode()  # waiting for them
    empty = director.post(refuse_url(quote), {"reason": "  "}, follow=True).content.decode()
    assert "Say why, so that the author knows what to change." in empty
    step(people.director, refuse_url(quote), {"reason": "Match last year's 8 % at most."})
    listed_on_notifications_page(
        client_for(people.coordinator),
        f"Dana Director refused the discount on your quote {quote.number} for Northwind Foods: "
        "Match last year's 8 % at most.",
    )
    page = client_for(people.coordinator).get(quote.get_absolute_url()).content.decode()
    assert "Dana Director refused this discount" in page
    assert quote.number not in director.get(reverse("home")).content.decode()  # decided
    quote.refresh_from_db()
    with pytest.raises(ValidationError, match="refused this discount: Match last year"):
        quote_change_status(quote=quote, status="sent", acting_user=people.coordinator)
    # New prices clear the refusal and ask the director again.
    step(
        people.coordinator,
        edit_quote_url(quote),
        quote_post(overall_discount_percent="12", revision=str(quote.revision)),
    )
    quote.refresh_from_db()
    assert not quote.is_discount_refused
    assert told(people, only=["director", "coordinator"]) == {"director": 2, "coordinator": 1}


# ---- the e-mails --------------------------------------------------------------------------


def test_the_email_of_a_step_carries_its_text_and_an_absolute_link(people, plan, step, settings):
    settings.KAM_SITE_URL = "https://kam.example.com"
    step(people.manager, plan_url("submit", plan))
    [message] = mail.outbox
    assert message.to == [people.director.email]
    assert message.subject == (
        "KAM Programme: Max Manager submitted the Northwind Foods plan FY2027 for your approval."
    )
    assert message.body == (
        "Max Manager submitted the Northwind Foods plan FY2027 for your approval.\n\n"
        f"https://kam.example.com{plan_url('plan', plan)}#workflow\n"
    )


def test_the_email_of_a_quote_step_links_absolutely_to_the_quote(people, account, step, settings):
    settings.KAM_SITE_URL = "https://kam.example.com"
    step(people.coordinator, create_quote_url(account), quote_post())
    quote = account.quotes.get()
    [message] = mail.outbox
    assert message.body.endswith(f"\n\nhttps://kam.example.com{quote.get_absolute_url()}\n")


def test_a_plan_returned_with_a_comment_of_several_lines_is_still_emailed(people, plan, step):
    # A mail header cannot hold a line break: with the comment's first line break inside the
    # subject, the mail server refused the e-mail at every attempt and the manager got none.
    AccountPlan.objects.filter(pk=plan.pk).update(status=AccountPlan.Status.SUBMITTED)
    comment = "Two things:\r\n1. Quantify the second objective.\r\n2. Name an owner."
    step(people.director, plan_url("return", plan), {"comment": comment})
    [message] = mail.outbox
    assert message.to == [people.manager.email]
    # The comment's lines joined by spaces; its 79 characters end with "Quantify" and a space
    # follows, so the last word is whole and kept.
    assert message.subject == (
        "KAM Programme: Dana Director returned the Northwind Foods plan FY2027: Two things: "
        "1. Quantify…"
    )
    assert "1. Quantify the second objective." in message.body  # the body keeps the lines
    assert Notification.objects.get(user=people.manager).email_status == "sent"


def test_a_long_subject_is_cut_after_a_whole_word_not_inside_the_quote_number(
    people, account, step
):
    step(people.coordinator, create_quote_url(account), quote_post())
    quote = account.quotes.get()
    [message] = mail.outbox
    # The text is 104 characters: the subject keeps the words that fit in 80, then "…".
    assert message.subject == (
        f"KAM Programme: Chloé Coordinator asks you to approve a 15.00 % discount on quote "
        f"{quote.number}…"
    )


def test_a_line_discount_above_the_limit_is_the_figure_the_director_is_asked_about(
    client_for, people, account, step
):
    # Line 1: 10 x 100 less 20 % = 800; line 2: 1 x 3,000 = 3,000. Total 3,800 against a list
    # value of 4,000: 5.00 % on the whole quote, within the 10 % limit; the 20 % line is not.
    two_lines = quote_post(
        overall_discount_percent="0",
        **{
            "lines-TOTAL_FORMS": "2",
            "lines-0-discount_percent": "20",
            "lines-1-description": "Line set-up",
            "lines-1-quantity": "1",
            "lines-1-unit_price": "3000",
            "lines-1-discount_percent": "0",
        },
    )
    step(people.coordinator, create_quote_url(account), two_lines)
    quote = account.quotes.get()
    expected = (
        f"Chloé Coordinator asks you to approve a 20.00 % discount on a line of quote "
        f"{quote.number} for Northwind Foods (limit 10.00 %; 5.00 % on the whole quote)."
    )
    listed_on_notifications_page(client_for(people.director), expected)
    [message] = mail.outbox
    assert message.body.startswith(expected + "\n\n")
