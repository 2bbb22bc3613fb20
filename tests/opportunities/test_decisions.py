"""Pursue / hold / drop: the log, the timeline and the status they move."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AccountEvent
from opportunities import services
from opportunities.models import Opportunity, OpportunityDecision

from .test_opportunity_form import form_data


def decide_url(opportunity):
    return reverse(
        "opportunities:opportunity_decide", args=[opportunity.key_account_id, opportunity.pk]
    )


@pytest.mark.parametrize(
    ("start", "decision", "end"),
    [
        ("idea", "pursue", "pursuing"),
        ("qualified", "pursue", "pursuing"),
        ("dropped", "pursue", "pursuing"),
        ("pursuing", "hold", "pursuing"),
        ("qualified", "hold", "qualified"),
        ("pursuing", "drop", "dropped"),
        ("idea", "drop", "dropped"),
    ],
)
def test_decision_moves_status_as_documented(
    account, make_opportunity, people, start, decision, end
):
    opportunity = make_opportunity(account, status=start)
    result = services.opportunity_decide(
        opportunity=opportunity, decision=decision, reason="Because.", acting_user=people.manager
    )
    assert result.status == end
    assert result.decision == decision


def test_manager_records_a_decision_and_it_is_logged_and_on_the_timeline(
    client_for, people, opportunity
):
    response = client_for(people.manager).post(
        decide_url(opportunity), {"decision": "pursue", "reason": "Budget approved by the CFO."}
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PURSUING
    log = OpportunityDecision.objects.get(opportunity=opportunity)
    assert (log.decision, log.reason, log.decided_by) == (
        "pursue",
        "Budget approved by the CFO.",
        people.manager,
    )
    event = AccountEvent.objects.filter(
        key_account=opportunity.key_account, kind=AccountEvent.Kind.OPPORTUNITY
    ).first()
    assert "Decision on Vendor-managed inventory: pursue" in event.summary
    assert event.reason == "Budget approved by the CFO."
    page = client_for(people.team_member).get(response.url).content.decode()
    assert "Budget approved by the CFO." in page


def test_two_decisions_both_stay_in_the_log(client_for, people, opportunity):
    client = client_for(people.director)
    client.post(decide_url(opportunity), {"decision": "hold", "reason": "Wait for the tender."})
    client.post(decide_url(opportunity), {"decision": "drop", "reason": "Tender cancelled."})
    reasons = list(opportunity.decisions.values_list("reason", flat=True))
    assert reasons == ["Tender cancelled.", "Wait for the tender."]
    opportunity.refresh_from_db()
    assert opportunity.status == "dropped"


def test_decision_without_a_reason_is_refused_and_the_choice_kept(client_for, people, opportunity):
    response = client_for(people.manager).post(
        decide_url(opportunity), {"decision": "drop", "reason": "   "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give a reason for the decision." in html
    assert re.search(r'value="drop"[^>]*checked', html)
    assert not re.search(r'value="pursue"[^>]*checked', html)
    assert not OpportunityDecision.objects.exists()
    opportunity.refresh_from_db()
    assert opportunity.status == "idea"


def test_service_refuses_blank_reason(opportunity, people):
    with pytest.raises(ValidationError):
        services.opportunity_decide(
            opportunity=opportunity, decision="pursue", reason="", acting_user=people.manager
        )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 403), ("team_member", 403), ("executive", 403), ("outsider", 404)],
)
def test_only_editors_may_decide(client_for, people, opportunity, persona, status):
    response = client_for(getattr(people, persona)).post(
        decide_url(opportunity), {"decision": "drop", "reason": "No."}
    )
    assert response.status_code == status
    assert not OpportunityDecision.objects.exists()


def test_deciding_needs_post_and_login(client, client_for, people, opportunity):
    assert client_for(people.manager).get(decide_url(opportunity)).status_code == 405
    response = client_for(None).post(decide_url(opportunity), {"decision": "drop", "reason": "x"})
    assert response.status_code == 302 and "/login/" in response.url


def test_status_set_to_dropped_in_the_edit_form_is_a_logged_drop(client_for, people, opportunity):
    """The edit form's status drops an opportunity too: the page then said "Drop —" with the
    reason of the pursue before it, and the log had no drop."""
    client = client_for(people.manager)
    client.post(decide_url(opportunity), {"decision": "pursue", "reason": "Great fit for Erfurt."})
    opportunity.refresh_from_db()
    edit_url = reverse(
        "opportunities:opportunity_edit", args=[opportunity.key_account_id, opportunity.pk]
    )
    response = client.post(
        edit_url,
        form_data(status="dropped", owner=people.manager.pk, revision=opportunity.revision),
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    decision = page[page.index('id="opportunity-decision"') :]
    current = re.search(r"Current decision:(.*?)</p>", decision, re.S).group(1)
    current = " ".join(re.sub(r"<[^>]+>", " ", current).split())
    assert (
        current
        == "Drop — Status set to dropped in the opportunity&#x27;s edit form; no reason given."
    )
    log = " ".join(re.sub(r"<[^>]+>", " ", decision[decision.index("Decision log") :]).split())
    # Newest first: the drop by status, then the pursue.
    assert log.index("Drop —") < log.index("no reason given.") < log.index("Pursue —")
    assert log.index("Pursue —") < log.index("Great fit for Erfurt.")
    assert list(opportunity.decisions.values_list("decision", "decided_by")) == [
        ("drop", people.manager.pk),
        ("pursue", people.manager.pk),
    ]

    # Reopened in the edit form: no decision, and the drop's reason is not left behind.
    opportunity.refresh_from_db()
    client.post(
        edit_url,
        form_data(status="qualified", owner=people.manager.pk, revision=opportunity.revision),
    )
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.decision, opportunity.decision_reason) == (
        "qualified",
        "",
        "",
    )
    assert "No decision recorded yet." in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("language", "now", "then"),
    [("en", "200,000", "100,000"), ("fr", "200\u00a0000", "100\u00a0000")],
)
def test_a_stale_decision_lists_the_changed_value_as_the_page_writes_it(
    client_for, people, opportunity, language, now, then
):
    """The 409 page of a decision taken on a page loaded before the value changed wrote the
    stored "200000.00" and "100000.00"."""
    client = client_for(people.manager)
    page = client.get(services.detail_url(opportunity), HTTP_ACCEPT_LANGUAGE=language)
    seen = re.search(r'name="revision" value="(\d+)"', page.content.decode()).group(1)
    services.opportunity_update(
        opportunity=opportunity,
        values={"annual_value": Decimal("200000")},
        revision=int(seen),
        acting_user=people.director,
    )
    response = client.post(
        decide_url(opportunity),
        {"decision": "pursue", "reason": "Worth it.", "revision": seen},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 409
    # Spaces collapsed, the no-break space of French numbers kept.
    text = re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert "200000.00" not in text and "100000.00" not in text
    label = "Estimated annual value" if language == "en" else "Valeur annuelle estimée"
    saved, shown = (
        ("Saved now", "What your page showed")
        if language == "en"
        else (
            "Enregistré maintenant",
            "Ce que votre page affichait",
        )
    )
    assert f"{saved} {label} {now} {shown} {label} {then}" in text
