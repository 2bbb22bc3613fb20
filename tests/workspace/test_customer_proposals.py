"""A customer proposes a value opportunity in the workspace; the account team accepts it (an
opportunity in the pipeline, not scored yet, marked as proposed by the customer) or declines it
with a reason the customer reads. The customer follows their own proposals and withdraws one
that waits."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent
from common.limits import NOTE_MAX_CHARS
from notifications.models import Notification
from opportunities.models import Opportunity
from tests.html_checks import page_problems
from workspace.models import CustomerProposal, Invitation
from workspace.services import proposals as proposal_services

from .helpers import customer, invite, open_link

pytestmark = pytest.mark.django_db

PROPOSE = "/workspace/proposals/"
TYPED = {
    "title": "Vendor-managed stock for Erfurt",
    "need": "Our planners reorder trays by hand every week.",
    "benefit": "No more line stops for missing trays.",
    "rough_size": "About 40 pallets a week",
    "timing": "half_year",
}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _browser(account, people, stakeholder) -> Client:
    client = Client()
    open_link(client, invite(account, stakeholder, people))
    return client


@pytest.fixture
def clara(account):
    return customer(account)


@pytest.fixture
def browser(account, people, clara) -> Client:
    return _browser(account, people, clara)


def _propose(browser, **over) -> CustomerProposal:
    response = browser.post(PROPOSE, {**TYPED, **over})
    assert response.status_code == 302, response.content.decode()[:2000]
    return CustomerProposal.objects.latest("pk")


def _decide_url(proposal) -> str:
    return reverse("workspace_team:proposal_decide", args=[proposal.key_account_id, proposal.pk])


def _team_url(proposal) -> str:
    return reverse("workspace_team:proposal", args=[proposal.key_account_id, proposal.pk])


# ---- the customer's side ---------------------------------------------------------------------


def test_the_customer_proposes_and_sees_it_received(browser, account, clara):
    assert "Propose an opportunity" in browser.get(reverse("workspace:home")).content.decode()
    proposal = _propose(browser)

    assert (proposal.key_account, proposal.stakeholder) == (account, clara)
    assert proposal.status == CustomerProposal.Status.RECEIVED
    page = browser.get(PROPOSE)
    html = page.content.decode()
    assert not page_problems(html)
    text = _text(html)
    assert "Vendor-managed stock for Erfurt" in text
    assert "Status: received: your account team is looking at it" in text
    assert "About 40 pallets a week" in text and "Within 6 months" in text
    assert f'action="/workspace/proposals/{proposal.pk}/withdraw/"' in html
    event = AccountEvent.objects.get(key_account=account, kind=AccountEvent.Kind.OPPORTUNITY)
    assert event.summary == (
        "Customer Clara Customer proposed an opportunity: Vendor-managed stock for Erfurt"
    )
    assert event.actor is None


def test_the_deciders_are_told_with_the_customers_words(browser, people):
    people.director.language = "fr"
    people.director.save(update_fields=["language"])
    _propose(browser)
    # What the customer proposed, then what the reader is to do with it.
    expected = {
        people.manager: (
            "Customer Clara Customer proposed an opportunity (Northwind Foods): "
            "“Vendor-managed stock for Erfurt”: Our planners reorder trays by hand every week. "
            "— accept or decline it."
        ),
        people.director: (
            "Le client Clara Customer a proposé une opportunité (Northwind Foods)\u00a0: "
            "«\u00a0Vendor-managed stock for Erfurt\u00a0»\u00a0: Our planners reorder trays by "
            "hand every week. — acceptez-la ou refusez-la."
        ),
    }
    for decider in (people.manager, people.director):
        told = Notification.objects.filter(user=decider).latest("pk")
        assert told.text == expected[decider]
        assert told.link.endswith(_team_url(CustomerProposal.objects.get()))
    # Who does not decide is not told.
    assert not Notification.objects.filter(user__in=[people.coordinator, people.team_member])


def test_missing_texts_are_refused_at_their_fields_and_the_typed_words_kept(browser):
    response = browser.post(PROPOSE, {**TYPED, "need": "   ", "benefit": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Say what you need, or the problem to solve." in html
    assert "Say what you expect to gain from it." in html
    assert 'value="Vendor-managed stock for Erfurt"' in html
    assert not page_problems(html)
    assert not CustomerProposal.objects.exists()


def test_an_over_long_need_is_refused_with_every_character_kept(browser):
    need = "We reorder by hand. " * (NOTE_MAX_CHARS // 20) + "END-OF-WHAT-I-TYPED"
    title = "T" * 201
    response = browser.post(PROPOSE, {**TYPED, "need": need, "title": title})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters (it has 2019)." in html
    assert "Ensure this value has at most 200 characters (it has 201)." in html
    assert "END-OF-WHAT-I-TYPED</textarea>" in html and f'value="{title}"' in html
    assert not CustomerProposal.objects.exists()


def test_the_customer_sees_only_their_own_proposals(browser, account, people, other_account):
    mine = _propose(browser)
    colleague = customer(account, name="Carl Colleague", email="carl@customer.example")
    theirs = _propose(_browser(account, people, colleague), title="Carl's idea")
    elsewhere = customer(other_account, name="Hugo Helios", email="hugo@helios.example")
    foreign = _propose(_browser(other_account, people, elsewhere), title="Helios idea")

    text = _text(browser.get(PROPOSE).content.decode())
    assert mine.title in text
    assert "Carl's idea" not in text and "Helios idea" not in text
    for other in (theirs, foreign):
        response = browser.post(
            reverse("workspace:proposal_withdraw", args=[other.pk]), {"revision": "0"}
        )
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.status == CustomerProposal.Status.RECEIVED


def test_the_customer_withdraws_a_proposal_that_waits(browser, people):
    proposal = _propose(browser)
    response = browser.post(
        reverse("workspace:proposal_withdraw", args=[proposal.pk]),
        {"revision": str(proposal.revision)},
        follow=True,
    )
    proposal.refresh_from_db()
    assert proposal.status == CustomerProposal.Status.WITHDRAWN
    assert proposal.decided_at is not None
    text = _text(response.content.decode())
    assert "You withdrew “Vendor-managed stock for Erfurt”." in text
    assert "Status: withdrawn" in text
    assert Notification.objects.filter(user=people.manager).latest("pk").text == (
        "Customer Clara Customer withdrew their proposal “Vendor-managed stock for Erfurt” "
        "(Northwind Foods)"
    )


def test_a_proposal_decided_since_the_page_loaded_is_not_withdrawn(browser, people):
    proposal = _propose(browser)
    seen = proposal.revision
    proposal_services.proposal_decide(
        proposal=proposal, decision="accept", reply="", acting_user=people.manager, revision=seen
    )
    response = browser.post(
        reverse("workspace:proposal_withdraw", args=[proposal.pk]),
        {"revision": str(seen)},
        follow=True,
    )
    proposal.refresh_from_db()
    assert proposal.status == CustomerProposal.Status.ACCEPTED
    assert "Your account team has looked at this proposal since the page was loaded" in (
        response.content.decode()
    )


def test_words_of_a_proposal_sent_after_the_link_expired_are_given_back(browser):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = browser.post(PROPOSE, TYPED)
    html = response.content.decode()
    assert response.status_code == 404
    assert "What you wrote was not sent" in html
    for words in (TYPED["title"], TYPED["need"], TYPED["benefit"], TYPED["rough_size"]):
        assert words in html
    assert not page_problems(html)
    assert not CustomerProposal.objects.exists()


# ---- the team's side -------------------------------------------------------------------------


def test_the_manager_accepts_it_as_an_opportunity_not_scored_yet(
    browser, client_for, people, account
):
    proposal = _propose(browser)
    manager = client_for(people.manager)
    page = manager.get(_team_url(proposal))
    assert not page_problems(page.content.decode())
    response = manager.post(
        _decide_url(proposal),
        {"decision": "accept", "reply": "Good idea: reorder points next week.", "revision": "0"},
    )
    proposal.refresh_from_db()
    opportunity = proposal.opportunity
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "opportunities:opportunity_detail", args=[account.pk, opportunity.pk]
    )
    assert proposal.status == CustomerProposal.Status.ACCEPTED
    assert proposal.decided_by == people.manager
    assert (opportunity.title, opportunity.status) == (proposal.title, Opportunity.Status.IDEA)
    assert not opportunity.is_scored and opportunity.priority is None
    assert opportunity.owner == people.manager
    assert list(opportunity.stakeholders.all()) == [proposal.stakeholder]
    assert "What they need: Our planners reorder trays by hand every week." in (
        opportunity.description
    )
    # The opportunity page says where it came from; the pipeline lists it as not scored yet.
    detail = _text(manager.get(response["Location"]).content.decode())
    day = timezone.localtime(proposal.submitted_at).strftime("%-d %b %Y")
    assert f"Proposed by the customer: Clara Customer, {day}" in detail
    assert "Not scored yet" in detail
    # Its source is the customer's proposal (it read "Manager"), and editing it keeps that.
    assert opportunity.source == Opportunity.Source.CUSTOMER
    assert "Source Customer proposal" in detail
    edit = manager.get(
        reverse("opportunities:opportunity_edit", args=[account.pk, opportunity.pk])
    ).content.decode()
    assert '<option value="customer" selected>Customer proposal</option>' in edit
    # The choice is not offered to an opportunity the customer did not propose.
    new = manager.get(reverse("opportunities:opportunity_create", args=[account.pk]))
    assert '<option value="customer">Customer proposal' not in new.content.decode()
    # The customer reads the answer.
    mine = _text(browser.get(PROPOSE).content.decode())
    assert "Status: accepted: we are working on it with you" in mine
    assert "Your account team says: Good idea: reorder points next week." in mine
    assert "Withdraw" not in mine
    # Audited: on the timeline with who decided, and in the proposal's history.
    event = AccountEvent.objects.filter(key_account=account).latest("pk")
    assert event.summary == (
        "Customer proposal accepted as an opportunity: Vendor-managed stock for Erfurt "
        "(Clara Customer)"
    )
    assert event.actor == people.manager
    assert event.reason == "Good idea: reorder points next week."
    assert proposal.history.latest().history_user == people.manager
    assert AccountEvent.objects.filter(summary__startswith="Opportunity added:").exists()


def test_the_director_declines_with_a_reason_the_customer_reads(browser, client_for, people):
    proposal = _propose(browser)
    director = client_for(people.director)
    refused = director.post(_decide_url(proposal), {"decision": "decline", "revision": "0"})
    assert refused.status_code == 400
    assert "Say why you decline it: the customer reads your reason." in refused.content.decode()
    assert not page_problems(refused.content.decode())

    director.post(
        _decide_url(proposal),
        {"decision": "decline", "reply": "We do not sell trays in Erfurt.", "revision": "0"},
    )
    proposal.refresh_from_db()
    assert proposal.status == CustomerProposal.Status.DECLINED
    assert proposal.opportunity is None and not Opportunity.objects.exists()
    listing = _text(
        director.get(
            reverse("workspace_team:proposals", args=[proposal.key_account_id])
        ).content.decode()
    )
    day = timezone.localtime(proposal.decided_at).strftime("%-d %b %Y")
    assert (
        f"Vendor-managed stock for Erfurt Clara Customer {day} Declined {day} by Dana Director"
        in listing
    )
    mine = _text(browser.get(PROPOSE).content.decode())
    assert "Status: declined" in mine
    assert "Their reason: We do not sell trays in Erfurt." in mine


def test_the_opportunities_page_says_how_many_proposals_wait(browser, client_for, people, account):
    url = reverse("opportunities:account_opportunities", args=[account.pk])
    coordinator = client_for(people.coordinator)
    assert "Customer proposals" not in coordinator.get(url).content.decode()
    _propose(browser)
    _propose(browser, title="Recyclable trays")
    text = _text(coordinator.get(url).content.decode())
    assert "2 customer proposals wait for a decision. Customer proposals" in text
    listing = coordinator.get(reverse("workspace_team:proposals", args=[account.pk]))
    html = listing.content.decode()
    assert "Recyclable trays" in html and not page_problems(html)
    # A coordinator reads them but does not decide.
    proposal = CustomerProposal.objects.first()
    assert "Record decision" not in coordinator.get(_team_url(proposal)).content.decode()


def test_who_may_decide(browser, client_for, people, account, other_account):
    proposal = _propose(browser)
    data = {"decision": "decline", "reply": "No", "revision": "0"}
    assert client_for(None).post(_decide_url(proposal), data).status_code == 302  # log-in
    for user, status in (
        (people.outsider, 404),
        (people.other_manager, 404),
        (people.executive, 403),
        (people.coordinator, 403),
        (people.team_member, 403),
    ):
        assert client_for(user).post(_decide_url(proposal), data).status_code == status, user
    proposal.refresh_from_db()
    assert proposal.status == CustomerProposal.Status.RECEIVED
    # Another account's proposal is not found under this account, even by its director.
    elsewhere = customer(other_account, name="Hugo Helios", email="hugo@helios.example")
    foreign = _propose(_browser(other_account, people, elsewhere), title="Helios idea")
    director = client_for(people.director)
    assert (
        director.get(reverse("workspace_team:proposal", args=[account.pk, foreign.pk])).status_code
        == 404
    )
    wrong = reverse("workspace_team:proposal_decide", args=[account.pk, foreign.pk])
    assert director.post(wrong, data).status_code == 404
    assert director.get(_team_url(foreign)).status_code == 404


def test_two_deciders_on_one_page_the_second_gets_the_conflict(browser, people, account):
    proposal = _propose(browser)
    manager, director = Client(), Client()
    manager.force_login(people.manager)
    director.force_login(people.director)
    seen = re.search(
        r'name="revision" value="(\d+)"', manager.get(_team_url(proposal)).content.decode()
    ).group(1)
    director.post(_decide_url(proposal), {"decision": "accept", "reply": "", "revision": seen})

    response = manager.post(
        _decide_url(proposal),
        {"decision": "decline", "reply": "Not for us", "revision": seen},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert 'id="conflict-yours-title"' in html
    assert ">Not for us</textarea>" in html  # the reply typed, given back to copy
    saved_now = html.split('id="conflict-title"')[1]
    assert "Accepted" in saved_now and "Dana Director" in saved_now
    assert not page_problems(html)
    proposal.refresh_from_db()
    assert proposal.status == CustomerProposal.Status.ACCEPTED and proposal.team_reply == ""
    assert Opportunity.objects.count() == 1


def test_the_team_list_costs_the_same_queries_for_more_proposals(
    client_for, people, account, django_assert_max_num_queries
):
    clara = customer(account)
    client = client_for(people.manager)
    url = reverse("workspace_team:proposals", args=[account.pk])

    def add(n):
        for i in range(n):
            proposal = CustomerProposal.objects.create(
                key_account=account, stakeholder=clara, title=f"Idea {i}", need="n",
                benefit="b", submitted_at=timezone.now(),
            )  # fmt: skip
            if i % 2:
                proposal_services.proposal_decide(
                    proposal=proposal, decision="decline", reply="No",
                    acting_user=people.manager, revision=0,
                )  # fmt: skip

    add(2)
    client.get(url)
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(5):
        assert "Idea 19" in client.get(url).content.decode()


def test_the_pages_in_french(browser, client_for, people, account):
    html = browser.get(PROPOSE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Proposer une opportunité" in html
    proposal = _propose(browser)
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    html = client_for(people.manager).get(_team_url(proposal)).content.decode()
    assert "La proposition du client" in html


def test_the_customer_is_emailed_the_answer_without_a_new_link(
    browser, client_for, people, clara, django_capture_on_commit_callbacks
):
    from django.core import mail

    proposal = _propose(browser)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people.director).post(
            _decide_url(proposal),
            {"decision": "decline", "reply": "We do not sell trays in Erfurt.", "revision": "0"},
        )
    (sent,) = [m for m in mail.outbox if m.to == [clara.email]]
    assert (
        sent.subject
        == "Your proposal “Vendor-managed stock for Erfurt” is declined (Northwind Foods)"
    )
    assert "your account team declined it." in sent.body
    assert "Their answer: We do not sell trays in Erfurt." in sent.body
    assert "/workspace/join/" not in sent.body
    # The link she holds still opens the answer.
    assert "Their reason: We do not sell trays in Erfurt." in _text(
        browser.get(PROPOSE).content.decode()
    )


def test_the_customers_page_costs_the_same_queries_for_more_proposals(
    browser, django_assert_max_num_queries
):
    _propose(browser)
    browser.get(PROPOSE)
    with django_assert_max_num_queries(4):
        assert browser.get(PROPOSE).status_code == 200
    for i in range(15):
        _propose(browser, title=f"Idea {i}")
    with django_assert_max_num_queries(4):
        assert "Idea 14" in browser.get(PROPOSE).content.decode()


def test_a_decision_on_a_withdrawn_proposal_says_so(browser, client_for, people):
    proposal = _propose(browser)
    browser.post(reverse("workspace:proposal_withdraw", args=[proposal.pk]), {"revision": "0"})
    # A form sent without the revision its page showed is not a stale page: the rule answers.
    response = client_for(people.manager).post(
        _decide_url(proposal), {"decision": "accept", "reply": ""}
    )
    assert response.status_code == 400
    assert "This proposal is withdrawn: there is nothing left to decide." in (
        response.content.decode()
    )
    assert not Opportunity.objects.exists()
