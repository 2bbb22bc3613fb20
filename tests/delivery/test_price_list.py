"""The price list: a quote line chosen from an offering takes its list price, its discount is
worked out from it, and the approval rule reads that — a low unit price cannot dodge it."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Programme
from delivery.models import Quote, QuoteLine
from delivery.selectors import quotes_awaiting_approval
from delivery.services import quotes
from notifications.models import Notification
from opportunities.models import ListPrice
from tests.opportunities.factories import OfferingFactory

from .test_quotes import create_url, quote_post

TODAY = timezone.localdate


@pytest.fixture
def sensors(db):
    offering = OfferingFactory(name="Cold-chain sensors")
    programme = Programme.ensure()
    assert programme.currency == "EUR" and programme.quote_discount_limit_percent == 10
    # The price list: last year's price (over), today's EUR price, a USD price, next year's.
    ListPrice.objects.create(
        offering=offering,
        currency="EUR",
        unit="sensor-month",
        unit_price=Decimal("11.9000"),
        valid_from=TODAY() - timedelta(days=400),
        valid_until=TODAY() - timedelta(days=31),
    )
    ListPrice.objects.create(
        offering=offering,
        currency="EUR",
        unit="sensor-month",
        unit_price=Decimal("12.5000"),
        valid_from=TODAY() - timedelta(days=30),
        valid_until=TODAY() + timedelta(days=30),
    )
    ListPrice.objects.create(
        offering=offering,
        currency="USD",
        unit="sensor-month",
        unit_price=Decimal("13.9000"),
        valid_from=TODAY() - timedelta(days=30),
    )
    ListPrice.objects.create(
        offering=offering,
        currency="EUR",
        unit="sensor-month",
        unit_price=Decimal("13.2500"),
        valid_from=TODAY() + timedelta(days=31),
    )
    return offering


def _line(offering, unit_price="10.4375", discount="0", quantity="400"):
    return {
        "lines-0-offering": str(offering.pk),
        "lines-0-description": "Sensor rental, chilled desserts lane",
        "lines-0-quantity": quantity,
        "lines-0-unit_price": unit_price,
        "lines-0-discount_percent": discount,
        "overall_discount_percent": "0",
    }


def test_a_lower_unit_price_is_a_worked_out_discount_that_waits_for_a_director(
    client_for, people, account, sensors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.coordinator).post(
            create_url(account), quote_post(**_line(sensors))
        )
    assert response.status_code == 302
    quote = Quote.objects.get()
    line = quote.lines.get()
    # The line took today's EUR list price, not last year's, next year's or the USD one.
    assert line.list_unit_price == Decimal("12.5000")
    assert line.unit_price == Decimal("10.4375")  # four decimal places kept
    # Discount = (12.5 - 10.4375 x (1 - 0 %)) / 12.5 = 2.0625 / 12.5 = 16.50 % > 10 % limit.
    expected = ((Decimal("12.5") - Decimal("10.4375")) / Decimal("12.5") * 100).quantize(
        Decimal("0.01")
    )
    assert expected == Decimal("16.50")
    assert quotes.quote_needs_approval(quote)
    # List value 400 x 12.50 = 5,000.00; total 400 x 10.4375 = 4,175.00.
    html = client_for(people.director).get(response.url).content.decode()
    assert "12.50" in html and "10.4375" in html and f"{expected} %" in html
    assert "5,000.00" in html and "EUR 4,175.00" in html
    assert "a director must approve it before the quote is sent" in html
    assert "Approve this discount" in html
    assert Notification.objects.filter(
        user=people.director, text__contains=f"approve a {expected} % discount"
    ).exists()
    assert [q.pk for q in quotes_awaiting_approval(user=people.director, limit_percent=10)] == [
        quote.pk
    ]
    response = client_for(people.coordinator).post(
        reverse("delivery:quote_status", args=[account.pk, quote.pk]),
        {"status": "sent"},
        follow=True,
    )
    quote.refresh_from_db()
    assert quote.status == "draft"
    assert "a director must approve it" in response.content.decode()


def test_the_quote_pdf_shows_list_price_offered_price_and_discount(
    client_for, people, account, sensors
):
    client_for(people.coordinator).post(create_url(account), quote_post(**_line(sensors)))
    quote = Quote.objects.get()
    response = client_for(people.manager).get(
        reverse("delivery:quote_pdf", args=[account.pk, quote.pk])
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "List price" in text and "Your price" in text
    assert "12.50" in text and "10.4375" in text and "16.50 %" in text and "4,175.00" in text


def test_a_blank_unit_price_takes_the_list_price_and_an_extra_discount_adds_up(
    client_for, people, account, sensors
):
    client_for(people.coordinator).post(
        create_url(account), quote_post(**_line(sensors, unit_price="", discount="4"))
    )
    line = QuoteLine.objects.get()
    assert line.unit_price == Decimal("12.5000")
    # Only the declared 4 % below list: within the 10 % limit.
    assert line.computed_discount_percent == Decimal("4.00")
    assert not quotes.quote_needs_approval(line.quote)
    # 9.5 offered less 6 % extra: paid 9.5 x 0.94 = 8.93; (12.5 - 8.93) / 12.5 = 28.56 %.
    line.unit_price, line.discount_percent = Decimal("9.5"), Decimal("6")
    assert line.computed_discount_percent == Decimal("28.56")


def test_the_quote_takes_the_price_in_its_own_currency(people, account, sensors):
    Programme.objects.filter(pk=Programme.current().pk).update(currency="USD")
    quote = quotes.quote_create(
        account=account,
        title="US lane",
        valid_until=TODAY() + timedelta(days=10),
        lines=[
            quotes.QuoteLineData(
                description="Sensors", quantity=Decimal("10"), unit_price=None, offering=sensors
            )
        ],
        acting_user=people.coordinator,
    )
    assert quote.currency == "USD"
    assert quote.lines.get().list_unit_price == Decimal("13.9000")


def test_an_offering_without_a_list_price_needs_a_typed_price(client_for, people, account):
    bare = OfferingFactory(name="Consulting day")
    response = client_for(people.coordinator).post(
        create_url(account), quote_post(**_line(bare, unit_price=""))
    )
    assert "Consulting day has no EUR list price" in response.content.decode()
    assert not Quote.objects.exists()


def test_a_free_text_line_keeps_its_declared_discount(client_for, people, account):
    # The standard quote_post line: no offering, 480 x 41.35 less a declared 5 %, 2 % overall.
    client_for(people.coordinator).post(create_url(account), quote_post())
    quote = Quote.objects.get()
    line = quote.lines.get()
    assert line.list_unit_price is None and line.computed_discount_percent == Decimal("5")
    # list value 480 x 41.35 = 19,848.00; line 18,855.60; less 2 % = 18,478.49 -> 6.90 %.
    totals = quote.totals()
    assert totals.list_value == Decimal("19848.00")
    assert totals.total == Decimal("18478.49")
    assert totals.effective_discount_percent == Decimal("6.90")
    assert not quotes.quote_needs_approval(quote)


def test_editing_a_draft_after_the_price_list_changed_reprices_and_withdraws_the_approval(
    client_for, people, account, sensors
):
    client_for(people.coordinator).post(create_url(account), quote_post(**_line(sensors)))
    quote = Quote.objects.get()
    quotes.quote_approve_discount(quote=quote, acting_user=people.director)
    ListPrice.objects.filter(currency="EUR", unit_price=Decimal("12.5")).update(
        unit_price=Decimal("14.0000")
    )
    quote.refresh_from_db()
    quotes.quote_update(
        quote=quote,
        revision=quote.revision,
        title=quote.title,
        valid_until=quote.valid_until,
        overall_discount_percent=Decimal("0"),
        opportunity=None,
        notes="",
        lines=[
            quotes.QuoteLineData(
                description="Sensor rental",
                quantity=Decimal("400"),
                unit_price=Decimal("10.4375"),
                offering=sensors,
            )
        ],
        acting_user=people.coordinator,
    )
    quote.refresh_from_db()
    assert not quote.is_discount_approved
    # (14 - 10.4375) / 14 = 25.45 %
    assert quote.lines.get().computed_discount_percent == Decimal("25.45")


# ---- the price list page ------------------------------------------------------------------


def prices_url(offering):
    return reverse("opportunities:offering_prices", args=[offering.pk])


def test_a_programme_admin_adds_a_price_which_ends_the_running_one(client_for, people, sensors):
    usd = ListPrice.objects.get(currency="USD")
    start = TODAY() + timedelta(days=5)
    response = client_for(people.programme_admin).post(
        prices_url(sensors),
        {
            "currency": "usd",
            "unit": "sensor-month",
            "unit_price": "14.2500",
            "valid_from": start.isoformat(),
            "valid_until": "",
        },
    )
    assert response.status_code == 302
    usd.refresh_from_db()
    assert usd.valid_until == start - timedelta(days=1)
    html = client_for(people.coordinator).get(prices_url(sensors)).content.decode()
    assert "14.25" in html and "Upcoming" in html and "Current" in html
    assert "Add a price" not in html


def test_overlapping_prices_are_refused_and_only_programme_admins_add(client_for, people, sensors):
    data = {
        "currency": "EUR",
        "unit": "sensor-month",
        "unit_price": "9.00",
        "valid_from": TODAY().isoformat(),
        "valid_until": (TODAY() + timedelta(days=3)).isoformat(),
    }
    assert client_for(people.director).post(prices_url(sensors), data).status_code == 403
    response = client_for(people.programme_admin).post(prices_url(sensors), data)
    # Written as the price list writes it (it read "EUR 12.5000", the stored four places).
    assert "It overlaps the EUR 12.50 price" in response.content.decode()
    assert ListPrice.objects.filter(unit_price=Decimal("9")).count() == 0


@pytest.mark.parametrize(
    ("language", "refused", "added"),
    [
        ("en", "It overlaps the EUR 12.50 price", "EUR 1,234.125 per sensor-month"),
        ("fr", "Il chevauche le prix EUR 12,50", "EUR 1\u00a0234,125 par sensor-month"),
    ],
)
def test_prices_in_the_price_lists_words_are_written_as_its_table_writes_them(
    client_for, people, sensors, language, refused, added
):
    """The overlap refusal and the added price's message wrote the stored number as it is
    ("12.5000"; "1234.125" in French too) where the table writes "12.50" and "1 234,125"."""
    client = client_for(people.programme_admin)
    overlapping = {
        "currency": "EUR",
        "unit": "sensor-month",
        "unit_price": "9.00",
        "valid_from": TODAY().isoformat(),
        "valid_until": (TODAY() + timedelta(days=3)).isoformat(),
    }
    page = client.post(prices_url(sensors), overlapping, HTTP_ACCEPT_LANGUAGE=language)
    assert refused in page.content.decode()
    later = {
        "currency": "EUR",
        "unit": "sensor-month",
        "unit_price": "1234.125",
        "valid_from": (TODAY() + timedelta(days=400)).isoformat(),
        "valid_until": "",
    }
    response = client.post(prices_url(sensors), later, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    text = response.content.decode()
    assert added in text
    table = text[text.index("<tbody>") : text.index("</tbody>")]
    assert added.split(" p")[0].removeprefix("EUR ") in table


def test_the_catalogue_shows_todays_list_price(client_for, people, sensors):
    html = client_for(people.manager).get(reverse("opportunities:offering_list")).content.decode()
    assert "12.50 per sensor-month" in html


def test_a_new_price_is_in_the_programmes_history(client_for, people, sensors):
    client_for(people.programme_admin).post(
        prices_url(sensors),
        {
            "currency": "EUR",
            "unit": "sensor-month",
            "unit_price": "13.9900",
            "valid_from": (TODAY() + timedelta(days=90)).isoformat(),
            "valid_until": "",
        },
    )
    html = (
        client_for(people.programme_admin).get(reverse("audit:programme_history")).content.decode()
    )
    # The price as prices are written elsewhere (2 to 4 decimals, the reader's format).
    assert "List price" in html and "EUR 13.99 per sensor-month" in html
