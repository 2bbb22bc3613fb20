"""Quotes: totals and rounding, the discount approval threshold, statuses, PDF, permissions."""

import io
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from accounts.models import AccountEvent, Programme
from common.limits import NOTE_MAX_CHARS
from delivery.models import Quote, QuoteTotals
from tests.factories import OpportunityFactory, QuoteFactory, QuoteLineFactory
from tests.html_checks import page_problems


def line(quantity, price, discount="0"):
    return QuoteLineFactory.build(
        quantity=Decimal(quantity), unit_price=Decimal(price), discount_percent=Decimal(discount)
    )


def test_each_line_rounds_half_up_to_the_cent():
    # 0.25 less 50 % is 0.125: half up gives 0.13 (bankers' rounding would give 0.12).
    assert line("1", "0.25", "50").net_amount == Decimal("0.13")
    assert line("3", "19.99", "12.5").net_amount == Decimal("52.47")  # 52.47375


def test_totals_add_rounded_lines_then_take_the_overall_discount():
    totals = QuoteTotals.of([line("1", "0.25", "50"), line("2", "0.25", "50")], Decimal("25"))
    # lines 0.13 + 0.25 = 0.38; 25 % of 0.38 = 0.095 -> 0.10; total 0.28
    assert totals.subtotal == Decimal("0.38")
    assert totals.overall_discount == Decimal("0.10")
    assert totals.total == Decimal("0.28")
    assert totals.list_value == Decimal("0.75")


def test_effective_discount_combines_line_and_overall_discounts():
    totals = QuoteTotals.of([line("10", "100", "8")], Decimal("5"))
    # 1000 -> 920 -> 874: 12.6 % off list
    assert totals.total == Decimal("874.00")
    assert totals.effective_discount_percent == Decimal("12.60")
    assert totals.needs_approval(Decimal("10"))
    assert not totals.needs_approval(Decimal("12.60"))


def test_a_single_deep_line_discount_needs_approval_even_if_the_average_is_low():
    totals = QuoteTotals.of([line("1", "10", "40"), line("100", "100", "0")], Decimal("0"))
    assert totals.effective_discount_percent < Decimal("10")
    assert totals.needs_approval(Decimal("10"))


def test_exactly_at_the_limit_needs_no_approval():
    assert not QuoteTotals.of([line("1", "100", "10")], Decimal("0")).needs_approval(Decimal("10"))


# ---- pages --------------------------------------------------------------------------------


def quote_post(**over):
    data = {
        "title": "Clean-label ingredients 2027",
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "overall_discount_percent": "2",
        "notes": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-description": "Ingredient blend, 25 kg bags",
        "lines-0-quantity": "480",
        "lines-0-unit_price": "41.35",
        "lines-0-discount_percent": "5",
        "lines-1-description": "",
        "lines-1-quantity": "",
        "lines-1-unit_price": "",
        "lines-1-discount_percent": "",
    }
    data.update(over)
    return data


def create_url(account):
    return reverse("delivery:quote_create", args=[account.pk])


def test_coordinator_compiles_a_quote(client_for, people, account):
    response = client_for(people.coordinator).post(create_url(account), quote_post())
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert quote.status == "draft" and quote.prepared_by == people.coordinator
    assert quote.number.startswith(f"Q-{timezone.localdate().year}-")
    assert quote.lines.count() == 1
    # 480 x 41.35 = 19848.00, less 5 % = 18855.60, less 2 % (377.11) = 18478.49
    assert quote.totals().total == Decimal("18478.49")
    assert "18,478.49" in client_for(people.coordinator).get(response.url).content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("team_member", 403), ("executive", 403), ("outsider", 404)],
)
def test_only_schedule_roles_compile_quotes(client_for, people, account, persona, status):
    assert (
        client_for(getattr(people, persona)).post(create_url(account), quote_post()).status_code
        == status
    )
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    "persona", ["director", "manager", "coordinator", "team_member", "executive"]
)
def test_every_role_on_the_account_reads_quotes(client_for, people, account, persona):
    quote = QuoteFactory(key_account=account, title="Cold-chain pilot")
    client = client_for(getattr(people, persona))
    assert (
        "Cold-chain pilot"
        in client.get(reverse("delivery:account_quotes", args=[account.pk])).content.decode()
    )
    assert client.get(quote.get_absolute_url()).status_code == 200


def test_negative_quantity_and_discount_above_100_are_refused_keeping_input(
    client_for, people, account
):
    data = quote_post(**{"lines-0-quantity": "-3", "lines-0-discount_percent": "120"})
    response = client_for(people.coordinator).post(create_url(account), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Quantity cannot be negative." in html
    assert "A discount cannot be above 100 %." in html
    assert "Ingredient blend, 25 kg bags" in html and "Clean-label ingredients 2027" in html
    assert not Quote.objects.exists()


def test_another_accounts_quote_is_404(client_for, people, account, other_account):
    foreign = QuoteFactory(key_account=other_account)
    client = client_for(people.director)
    for name in ("quote_detail", "quote_edit", "quote_pdf"):
        assert (
            client.get(reverse(f"delivery:{name}", args=[account.pk, foreign.pk])).status_code
            == 404
        )
    for name in ("quote_approve", "quote_status"):
        url = reverse(f"delivery:{name}", args=[account.pk, foreign.pk])
        assert client.post(url, {"status": "sent"}).status_code == 404


@pytest.fixture
def deep_quote(account):
    quote = QuoteFactory(key_account=account, overall_discount_percent=Decimal("15"))
    QuoteLineFactory(quote=quote)
    return quote


def status_url(quote):
    return reverse("delivery:quote_status", args=[quote.key_account_id, quote.pk])


def approve_url(quote):
    return reverse("delivery:quote_approve", args=[quote.key_account_id, quote.pk])


def test_discount_above_the_limit_needs_a_director_before_sending(client_for, people, deep_quote):
    coordinator = client_for(people.coordinator)
    response = coordinator.post(status_url(deep_quote), {"status": "sent"}, follow=True)
    assert "a director must approve it" in response.content.decode()
    deep_quote.refresh_from_db()
    assert deep_quote.status == "draft"
    assert coordinator.post(approve_url(deep_quote)).status_code == 403
    assert client_for(people.manager).post(approve_url(deep_quote)).status_code == 403
    assert client_for(people.director).post(approve_url(deep_quote)).status_code == 302
    deep_quote.refresh_from_db()
    assert deep_quote.discount_approved_by == people.director
    client_for(people.coordinator).post(status_url(deep_quote), {"status": "sent"})
    deep_quote.refresh_from_db()
    assert deep_quote.status == "sent" and deep_quote.sent_at is not None


def test_the_limit_comes_from_the_programme(client_for, people, deep_quote):
    programme = Programme.ensure()
    programme.quote_discount_limit_percent = Decimal("20")
    programme.save()
    client_for(people.coordinator).post(status_url(deep_quote), {"status": "sent"})
    deep_quote.refresh_from_db()
    assert deep_quote.status == "sent"


def test_changing_prices_after_approval_withdraws_it(client_for, people, account, deep_quote):
    client_for(people.director).post(approve_url(deep_quote))
    url = reverse("delivery:quote_edit", args=[account.pk, deep_quote.pk])
    data = quote_post(overall_discount_percent="18", revision="1")
    assert client_for(people.coordinator).post(url, data).status_code == 302
    deep_quote.refresh_from_db()
    assert deep_quote.discount_approved_at is None


def test_stale_quote_edit_is_a_conflict(client_for, people, account):
    quote = QuoteFactory(key_account=account, title="Original")
    Quote.objects.filter(pk=quote.pk).update(revision=2, title="Theirs")
    url = reverse("delivery:quote_edit", args=[account.pk, quote.pk])
    response = client_for(people.coordinator).post(url, quote_post(title="Mine", revision="0"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this quote" in html and "Theirs" in html and "Mine" in html
    quote.refresh_from_db()
    assert quote.title == "Theirs"


def test_a_quote_conflict_names_its_lines_row_in_the_readers_language(client_for, people, account):
    quote = QuoteFactory(key_account=account, title="Original")
    QuoteLineFactory(quote=quote, description="Pallet wrap", quantity=Decimal("2"))
    Quote.objects.filter(pk=quote.pk).update(revision=2)
    people.coordinator.language = "fr"
    people.coordinator.save(update_fields=["language"])
    url = reverse("delivery:quote_edit", args=[account.pk, quote.pk])
    response = client_for(people.coordinator).post(url, quote_post(revision="0"))
    assert response.status_code == 409
    html = response.content.decode()
    # The row of the lines, theirs ("Pallet wrap") beside the typed ones, is labelled in French.
    row = html[html.index("Pallet wrap") - 400 : html.index("Pallet wrap")]
    assert "Lignes" in row and ">Lines<" not in html


def test_accepting_an_expired_quote_is_refused(client_for, people, account):
    quote = QuoteFactory(
        key_account=account, status="sent", valid_until=timezone.localdate() - timedelta(days=1)
    )
    response = client_for(people.coordinator).post(
        status_url(quote), {"status": "accepted"}, follow=True
    )
    until = date_format(quote.valid_until, "PADDED_DATE_FORMAT")
    assert (
        f"This quote was valid until {until}; it cannot be accepted any more. Mark it expired "
        "(the daily job does it too), then renew it."
    ) in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == "sent"
    client_for(people.coordinator).post(status_url(quote), {"status": "expired"})
    quote.refresh_from_db()
    assert quote.status == "expired"


def test_accepted_quote_can_mark_its_opportunity_won(client_for, people, account):
    opportunity = OpportunityFactory(key_account=account, status="pursuing", effort=4)
    quote = QuoteFactory(key_account=account, status="sent", opportunity=opportunity)
    QuoteLineFactory(quote=quote)
    client_for(people.coordinator).post(
        status_url(quote), {"status": "accepted", "mark_opportunity_won": "on"}
    )
    quote.refresh_from_db()
    opportunity.refresh_from_db()
    assert quote.status == "accepted" and quote.decided_at is not None
    assert opportunity.status == "won"
    assert AccountEvent.objects.filter(kind="opportunity", new_value="won").exists()


def test_a_draft_cannot_jump_to_accepted(client_for, people, account):
    quote = QuoteFactory(key_account=account)
    client_for(people.coordinator).post(status_url(quote), {"status": "accepted"})
    quote.refresh_from_db()
    assert quote.status == "draft"


def test_sending_needs_at_least_one_line(client_for, people, account):
    quote = QuoteFactory(key_account=account)
    response = client_for(people.coordinator).post(
        status_url(quote), {"status": "sent"}, follow=True
    )
    assert "Add at least one line" in response.content.decode()


def test_a_long_quote_prints_every_line_in_full_over_several_pages(client_for, people, account):
    """The customer's copy is the commercial document: every line they pay for, its whole
    description and the whole notes; the totals once, after the last line."""
    quote = QuoteFactory(
        key_account=account,
        number="Q-2030-0042",
        overall_discount_percent=Decimal("2"),
        notes="Terms: " + "delivery free to the Erfurt plant, " * 30 + "ENDOFTERMS",
    )
    for i in range(45):
        QuoteLineFactory(
            quote=quote,
            description=f"Pallet type {i:02d}"
            + (
                ", heat-treated to ISPM 15 with four-way entry and a 1,500 kg load"
                if i == 29
                else ""
            ),
            quantity=Decimal("10"),
            unit_price=Decimal("99.50"),
            position=i,
        )
    response = client_for(people.team_member).get(
        reverse("delivery:quote_pdf", args=[account.pk, quote.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = " ".join(pages)
    assert len(pages) >= 2
    assert all("Q-2030-0042" in page and "Your price" in page for page in pages)  # header again
    for i in range(45):
        assert f"Pallet type {i:02d}" in text
    assert "four-way entry and a 1,500 kg load" in text  # not cut at 80 characters
    assert "ENDOFTERMS" in text  # nor the notes at 600
    assert "more line" not in text
    # 45 x 10 x 99.50 = 44,775.00; 2 % of it 895.50; total 43,879.50, printed once
    assert text.count("44,775.00") == 1
    assert "−895.50" in text
    assert text.count("43,879.50") == 1 and "43,879.50" in pages[-1]


def test_a_quote_without_an_overall_discount_prints_no_minus_zero(client_for, people, account):
    quote = QuoteFactory(key_account=account, overall_discount_percent=Decimal("0"))
    QuoteLineFactory(
        quote=quote, description="Trays", quantity=Decimal("4"), unit_price=Decimal("25.00")
    )
    pdf = client_for(people.manager).get(reverse("delivery:quote_pdf", args=[account.pk, quote.pk]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    # 4 x 25.00 = 100.00, nothing taken off: no "Overall discount 0 % −0.00" line.
    assert "100.00" in text and "Overall discount" not in text and "−0.00" not in text
    page = client_for(people.manager).get(
        reverse("delivery:quote_detail", args=[account.pk, quote.pk])
    )
    assert "−0.00" not in page.content.decode()


def test_quote_list_flags_quotes_awaiting_approval_in_bounded_queries(
    client_for, people, account, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            quote = QuoteFactory(key_account=account, overall_discount_percent=Decimal("15"))
            QuoteLineFactory(quote=quote)
            QuoteLineFactory(quote=quote)

    client = client_for(people.manager)
    url = reverse("delivery:account_quotes", args=[account.pk])
    make(2)
    with django_assert_max_num_queries(12):
        client.get(url)
    make(30)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert "Awaiting discount approval" in response.content.decode()


def _error_summary(html: str) -> str:
    start = html.find("Please correct the following")
    assert start != -1, "no error summary at the top of the form"
    return html[start : html.index("</div>", start)]


def test_errors_in_the_lines_are_listed_in_the_summary_at_the_top(client_for, people, account):
    # Only a line is wrong: the summary used to stay away, and with a header error it listed
    # the header's only, so the line's problem was easy to miss further down.
    data = quote_post(
        **{
            "overall_discount_percent": "150",
            "lines-1-description": "Lids",  # started, no quantity or price
        }
    )
    html = client_for(people.coordinator).post(create_url(account), data).content.decode()
    summary = _error_summary(html)
    assert "Overall discount %: A discount cannot be above 100 %." in summary
    assert "Line 2, quantity: This field is required." in summary
    # Free text (no offering): no list price to fall back on, so the price is asked for.
    assert "Line 2, unit price offered: Enter a unit price" in summary

    only_lines = quote_post(**{"lines-0-quantity": "-3"})
    html = client_for(people.coordinator).post(create_url(account), only_lines).content.decode()
    assert "Line 1, quantity: Quantity cannot be negative." in _error_summary(html)


def test_quote_line_inputs_are_styled_like_the_rest_of_the_form(client_for, people, account):
    html = client_for(people.coordinator).get(create_url(account)).content.decode()
    assert re.search(r'<input type="number" name="lines-0-quantity"[^>]*class="form-control', html)
    assert re.search(r'<select name="lines-0-offering"[^>]*class="form-select', html)


def test_mark_sent_is_not_offered_while_the_discount_awaits_approval(
    client_for, people, deep_quote
):
    # The button was offered and then refused with "a director must approve it".
    html = client_for(people.coordinator).get(deep_quote.get_absolute_url()).content.decode()
    assert 'name="status" value="sent"' not in html
    assert "once a director has approved the discount" in html

    client_for(people.director).post(approve_url(deep_quote))
    html = client_for(people.coordinator).get(deep_quote.get_absolute_url()).content.decode()
    assert 'name="status" value="sent"' in html


def test_mark_sent_is_not_offered_after_the_validity_date(client_for, people, account):
    quote = QuoteFactory(key_account=account, valid_until=timezone.localdate() - timedelta(days=1))
    QuoteLineFactory(quote=quote)
    html = client_for(people.coordinator).get(quote.get_absolute_url()).content.decode()
    assert 'name="status" value="sent"' not in html
    assert "set a new one (Edit draft) before sending it" in html


def test_the_quote_page_explains_its_totals_in_the_readers_words(client_for, people, account):
    """The rule under "How the totals are worked out" is written for the reader, in their
    language, with the programme's limit: not the code's docstring."""
    programme = Programme.ensure()
    programme.quote_discount_limit_percent = Decimal("12.5")
    programme.save()
    quote = QuoteFactory(key_account=account)
    QuoteLineFactory(quote=quote, quantity=Decimal("3"), unit_price=Decimal("10"))
    url = reverse("delivery:quote_detail", args=[account.pk, quote.pk])
    text = client_for(people.team_member).get(url).content.decode()
    assert "Subtotal: the sum of the rounded lines." in text
    assert "Above 12.50 %, on the whole quote or on any one line" in text
    assert "effective_discount_percent" not in text and "shown to users" not in text
    people.team_member.language = "fr"
    people.team_member.save(update_fields=["language"])
    text = client_for(people.team_member).get(url).content.decode()
    assert "Sous-total\u00a0: la somme des lignes arrondies." in text
    assert "Au-delà de 12,50\u00a0%" in text
    assert "the rounded lines" not in text


def test_the_quote_list_says_a_refused_discount_is_refused_not_awaited(
    client_for, people, deep_quote
):
    """The list agrees with the quote's page and the director's home: once refused, the quote
    waits for new prices, not for a director."""
    account = deep_quote.key_account
    list_url = reverse("delivery:account_quotes", args=[account.pk])
    client = client_for(people.coordinator)
    assert "Awaiting discount approval" in client.get(list_url).content.decode()
    client_for(people.director).post(
        reverse("delivery:quote_refuse", args=[account.pk, deep_quote.pk]),
        {"reason": "Too deep for a tender we already lead", "revision": deep_quote.revision},
    )
    deep_quote.refresh_from_db()
    assert deep_quote.is_discount_refused
    html = client.get(list_url).content.decode()
    assert "Discount refused: change the prices" in html
    assert "Awaiting discount approval" not in html
    detail = client.get(deep_quote.get_absolute_url()).content.decode()
    assert "refused this discount" in detail


def test_mark_accepted_is_not_offered_on_a_sent_quote_past_its_validity(
    client_for, people, account
):
    """The service refuses to accept it; the page offered the button all the same."""
    quote = QuoteFactory(
        key_account=account, status="sent", valid_until=timezone.localdate() - timedelta(days=1)
    )
    QuoteLineFactory(quote=quote)
    html = client_for(people.coordinator).get(quote.get_absolute_url()).content.decode()
    assert 'name="status" value="accepted"' not in html
    assert (
        "it can no longer be accepted: the daily job marks it expired (or mark it expired now), "
        "and it can then be renewed"
    ) in html
    assert 'name="status" value="expired"' in html and 'name="status" value="rejected"' in html


def test_an_edit_cannot_move_the_validity_into_the_past_and_keeps_what_was_typed(
    client_for, people, account
):
    """Refused on a new quote, it was taken silently on an edit (and the quote could then not
    be sent)."""
    quote = QuoteFactory(key_account=account, title="Original")
    url = reverse("delivery:quote_edit", args=[account.pk, quote.pk])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(people.coordinator).post(
        url, quote_post(title="Typed title", valid_until=yesterday, revision="0")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "A quote cannot be made valid only in the past." in html
    assert 'value="Typed title"' in html and 'value="480"' in html
    quote.refresh_from_db()
    assert quote.title == "Original" and quote.valid_until > timezone.localdate()


def test_a_lapsed_draft_can_still_be_edited_without_touching_its_date(client_for, people, account):
    lapsed = timezone.localdate() - timedelta(days=3)
    quote = QuoteFactory(key_account=account, title="Original", valid_until=lapsed)
    url = reverse("delivery:quote_edit", args=[account.pk, quote.pk])
    response = client_for(people.coordinator).post(
        url, quote_post(title="Renamed", valid_until=lapsed.isoformat(), revision="0")
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.title == "Renamed" and quote.valid_until == lapsed


def test_quantities_are_written_with_the_decimals_they_have_on_the_page_and_the_pdf(
    client_for, people, account
):
    quote = QuoteFactory(key_account=account, overall_discount_percent=Decimal("0"))
    QuoteLineFactory(
        quote=quote, description="Trays", quantity=Decimal("5200.00"), unit_price=Decimal("0.50")
    )
    QuoteLineFactory(
        quote=quote,
        description="Pilot days",
        quantity=Decimal("2.50"),
        unit_price=Decimal("800.00"),
        position=1,
    )
    client = client_for(people.manager)
    page = client.get(reverse("delivery:quote_detail", args=[account.pk, quote.pk]))
    html = page.content.decode()
    assert '<td class="text-end">5,200</td>' in html and '<td class="text-end">2.5</td>' in html
    assert "5200.00" not in html and "2.50</td>" not in html
    pdf = client.get(reverse("delivery:quote_pdf", args=[account.pk, quote.pk]))
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    # 5,200 x 0.50 = 2,600.00; 2.5 x 800.00 = 2,000.00; total 4,600.00
    assert "Trays 5,200" in text and "Pilot days 2.5" in text
    assert "2,600.00" in text and "2,000.00" in text and "4,600.00" in text


def test_a_refusal_reason_over_the_limit_is_given_back_at_its_box(client_for, people, deep_quote):
    """A reason too long to keep was answered with a message above the page and an empty box:
    the director's words were gone. The page comes back (400) with them in the box and the
    limit said at it; the discount is not refused."""
    account = deep_quote.key_account
    reason = "Too deep for a first order. " * 80  # 2,240 characters
    assert len(reason.strip()) > NOTE_MAX_CHARS
    response = client_for(people.director).post(
        reverse("delivery:quote_refuse", args=[account.pk, deep_quote.pk]),
        {"reason": reason, "revision": deep_quote.revision},
    )
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert f">\n{reason}</textarea>" in page
    box = page.split('id="refuse-reason-error"')[1].split("</div>")[0]
    assert f"at most {NOTE_MAX_CHARS} characters" in box
    assert 'aria-invalid="true"' in page
    box_tag = page.split('id="refuse-reason"')[0].rsplit("<textarea", 1)[1]
    assert "autofocus" in box_tag + page.split('id="refuse-reason"')[1].split(">")[0]
    assert not page_problems(response.content.decode())
    deep_quote.refresh_from_db()
    assert deep_quote.discount_refused_at is None


def test_an_empty_refusal_reason_says_why_one_is_needed_at_the_box(client_for, people, deep_quote):
    account = deep_quote.key_account
    response = client_for(people.director).post(
        reverse("delivery:quote_refuse", args=[account.pk, deep_quote.pk]),
        {"reason": "  ", "revision": deep_quote.revision},
    )
    assert response.status_code == 400
    box = response.content.decode().split('id="refuse-reason-error"')[1].split("</div>")[0]
    assert "Say why, so that the author knows what to change." in box


def test_a_stale_refusal_gives_back_the_reason_typed(client_for, people, deep_quote):
    """The quote changed after the director's page was read: nothing is refused, and the 409
    page gives the reason back to copy, as the plan's decisions do."""
    account = deep_quote.key_account
    seen = deep_quote.revision
    type(deep_quote).objects.filter(pk=deep_quote.pk).update(revision=seen + 1)
    response = client_for(people.director).post(
        reverse("delivery:quote_refuse", args=[account.pk, deep_quote.pk]),
        {"reason": "Keep the discount at 10 % for this volume.", "revision": seen},
    )
    assert response.status_code == 409
    page = unescape(response.content.decode())
    assert ">Keep the discount at 10 % for this volume.</textarea>" in page
    deep_quote.refresh_from_db()
    assert deep_quote.discount_refused_at is None
