"""Scoring a customer in place on its page: the block comes back with the scores, the two axis
totals and the class the scores give, the title's class badge and the note on the account's
class redrawn out of band; "Cancel" answers with the block alone."""

import re

from django.urls import reverse

from accounts.models import Programme
from tests.common.in_place import block_only, htmx
from tests.factories import CriterionFactory

BLOCK = "customer-scores"


def _criteria():
    programme = Programme.ensure()
    programme.attractiveness_threshold = 50
    programme.strength_threshold = 50
    programme.save()
    return {
        "Growth outlook": CriterionFactory(name="Growth outlook", weight=1),
        "Share of wallet": CriterionFactory(name="Share of wallet", weight=3),
        "Our delivery record": CriterionFactory(
            name="Our delivery record", axis="strength", weight=2
        ),
    }


def test_a_score_saved_in_place_redraws_the_totals_the_class_and_the_title(
    client_for, people, account
):
    criteria = _criteria()
    customer = account.customer
    url = reverse("strategy:customer_score", args=[customer.pk])
    data = {
        "revision": customer.revision,
        f"criterion_{criteria['Growth outlook'].pk}": "5",
        f"criterion_{criteria['Share of wallet'].pk}": "2",
        f"criterion_{criteria['Our delivery record'].pk}": "4",
    }
    response = client_for(people.manager).post(url, data, headers=htmx(BLOCK))
    html = response.content.decode()
    assert response.status_code == 200
    block_only(html, BLOCK)
    # Attractiveness: (1 x (5-1) + 3 x (2-1)) / (4 x 4) x 100 = 43.75; strength: (4-1)/4 = 75.
    # Low attractiveness, high strength (thresholds 50): Status.
    assert re.search(r"Attractiveness</dt><dd[^>]*>43\.75</dd>", html)
    assert re.search(r"Business strength</dt><dd[^>]*>75\.00</dd>", html)
    assert re.search(r"Class from scores</dt><dd[^>]*>Status</dd>", html)
    title = re.search(r'<h1[^>]*id="customer-title"[^>]*>.*?</h1>', html, re.S).group(0)
    assert 'data-hx-swap-oob="true"' in title and "Status" in title
    # The account stays Strategic (the factory's class): the note says the scores differ.
    note = re.search(r'<div id="class-mismatch"[^>]*>.*?</div></div>', html, re.S).group(0)
    assert 'data-hx-swap-oob="true"' in note and "<strong>Status</strong>" in note
    assert "Scores for Northwind Foods saved." in html


def test_the_score_form_opens_in_the_block_and_cancel_answers_with_the_block_alone(
    client_for, people, account
):
    _criteria()
    customer = account.customer
    client = client_for(people.manager)
    opened = client.get(
        reverse("strategy:customer_score", args=[customer.pk]), headers=htmx(BLOCK)
    ).content.decode()
    block_only(opened, BLOCK)
    assert opened.count(" autofocus") == 1  # the first option of the first criterion
    assert "Share of wallet" in opened and "Save scores" in opened
    cancelled = client.get(
        reverse("strategy:customer_detail", args=[customer.pk]), headers=htmx(BLOCK)
    ).content.decode()
    block_only(cancelled, BLOCK)
    assert "Save scores" not in cancelled and "Score this customer" in cancelled


def test_without_javascript_the_score_page_is_the_customer_page_with_the_form_open(
    client_for, people, account
):
    _criteria()
    customer = account.customer
    url = reverse("strategy:customer_score", args=[customer.pk])
    page = client_for(people.manager).get(url).content.decode()
    assert "<html" in page and f'action="{url}#{BLOCK}"' in page
    assert "Selection history" in page  # the rest of the customer's page is there


def test_a_second_save_rescores_from_the_scores_it_leaves(client_for, people, account):
    """The save re-scores the customer from the scores as it leaves them (kept, changed,
    cleared), not read back (issue #22): the same figures as read back."""
    from accounts.models import Customer

    criteria = _criteria()
    customer = account.customer
    url = reverse("strategy:customer_score", args=[customer.pk])
    growth, wallet, delivery = (
        f"criterion_{criteria[name].pk}"
        for name in ("Growth outlook", "Share of wallet", "Our delivery record")
    )
    client = client_for(people.manager)
    first = {"revision": customer.revision, growth: "5", wallet: "2", delivery: "4"}
    assert client.post(url, first, headers=htmx(BLOCK)).status_code == 200
    customer.refresh_from_db()
    # Growth cleared, share of wallet 2 → 5, delivery kept at 4. Attractiveness: only share
    # of wallet is scored, (3 x (5-1)) / (3 x 4) x 100 = 100; strength (4-1)/4 = 75: Key.
    second = {"revision": customer.revision, growth: "", wallet: "5", delivery: "4"}
    html = client.post(url, second, headers=htmx(BLOCK)).content.decode()
    assert re.search(r"Attractiveness</dt><dd[^>]*>100\.00</dd>", html), html
    assert re.search(r"Business strength</dt><dd[^>]*>75\.00</dd>", html)
    customer = Customer.objects.get(pk=customer.pk)
    assert (customer.attractiveness_score, customer.strength_score) == (100, 75)
    assert set(customer.scores.values_list("score", flat=True)) == {5, 4}


def _share_cell(html: str, criterion: str) -> str:
    """The text of the Share cell of a criterion's row in the scores table."""
    row = re.search(rf"<tr>\s*<td>{re.escape(criterion)}</td>.*?</tr>", html, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", cells[2]).split())


def test_with_a_score_missing_the_shares_shown_are_the_ones_the_total_used(
    client_for, people, account
):
    """Recomputed by hand from the page: each share times (score - 1) / 4, added up per axis,
    gives the axis score shown. An unscored criterion's weight goes to the scored ones, so the
    page shows the share each score had, and the programme's share beside it."""
    criteria = _criteria()  # attractiveness: Growth outlook 1, Share of wallet 3; strength 2
    customer = account.customer
    client = client_for(people.manager)
    client.post(
        reverse("strategy:customer_score", args=[customer.pk]),
        {
            "revision": customer.revision,
            f"criterion_{criteria['Share of wallet'].pk}": "4",
            f"criterion_{criteria['Our delivery record'].pk}": "3",
        },
    )
    html = client.get(reverse("strategy:customer_detail", args=[customer.pk])).content.decode()
    # Growth outlook unscored: Share of wallet carries the whole axis, 3 / 3 = 100 %
    # (75.0 % = 3 / 4 once both are scored); attractiveness = 100 % x (4 - 1) / 4 = 75.00.
    assert _share_cell(html, "Share of wallet") == "100.0 % 75.0 % once all are scored"
    assert _share_cell(html, "Growth outlook") == "Not counted 25.0 % once all are scored"
    assert re.search(r"Attractiveness</dt><dd[^>]*>75\.00</dd>", html)
    # The strength axis is complete: its share is the programme's, said once.
    assert _share_cell(html, "Our delivery record") == "100.0 %"
    assert re.search(r"Business strength</dt><dd[^>]*>50\.00</dd>", html)
