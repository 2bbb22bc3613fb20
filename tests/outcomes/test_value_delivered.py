"""Value delivered: recorded by the account's editors, confirmed by a customer stakeholder
(in the workspace, through `confirm_value_delivered`, or by e-mail, recorded by the team),
summed this year per account and portfolio, printed in the plan PDF, counted by plan health.
Figures are recomputed by hand from the planted rows."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AccountEvent, Programme
from outcomes.models import ValueDelivered
from outcomes.services import confirm_value_delivered, value_delivered_save
from planning.selectors import health_for_plans
from tests.factories import (
    AccountPlanFactory,
    ObjectiveFactory,
    OpportunityFactory,
    StakeholderFactory,
)

TODAY = timezone.localdate()
THIS_YEAR = date(TODAY.year, 1, 1)
LAST_YEAR = date(TODAY.year - 1, 6, 30)


def _value(account, title, amount, *, on=THIS_YEAR, measure="money", unit="", user=None):
    return value_delivered_save(
        account=account,
        entry=None,
        fields={
            "title": title,
            "delivered_on": on,
            "measure": measure,
            "amount": Decimal(amount),
            "unit": unit,
        },
        acting_user=user,
    )


@pytest.fixture
def planted(account, people):
    """This year: EUR 120,000 (confirmed) + EUR 30,000 (not) + 400 hours (confirmed);
    last year: EUR 99,000 confirmed (not this year's)."""
    Programme.ensure()
    buyer = StakeholderFactory(key_account=account, name="Greta Buyer", email="g@nw.example")
    big = _value(account, "Stock-outs halved", "120000", user=people.manager)
    _value(account, "Shorter changeovers", "30000", user=people.manager)
    hours = _value(account, "Planning hours saved", "400", measure="other", unit="hours")
    old = _value(account, "Waste programme", "99000", on=LAST_YEAR)
    for entry in (big, hours, old):
        confirm_value_delivered(
            entry,
            stakeholder=buyer,
            confirmed_on=max(entry.delivered_on, TODAY - timedelta(days=1)),
        )
    return {"buyer": buyer, "big": big}


def test_this_years_value_is_summed_with_its_confirmed_part(client_for, people, account, planted):
    page = client_for(people.executive).get(reverse("outcomes:value_list", args=[account.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    # By hand: 120,000 + 30,000 money this year (2 entries), of which 120,000 confirmed (1);
    # the hours are counted apart (1 entry, confirmed), never as one of the sum's entries.
    assert (
        "Value delivered this year: EUR 150,000 (2 entries), of which confirmed EUR 120,000 (1); "
        "1 in other units (1 confirmed)" in text
    )
    assert "400 hours" in text
    assert "Confirmed</span> by Greta Buyer" in text
    # Executives read, they do not edit.
    assert reverse("outcomes:value_create", args=[account.pk]) not in text


def test_the_overview_and_the_plan_pdf_show_the_same_line(client_for, people, account, planted):
    AccountPlanFactory(key_account=account, period="FY2027")
    line = (
        "Value delivered this year: EUR 150,000 (2 entries), of which confirmed EUR 120,000 (1); "
        "1 in other units (1 confirmed)"
    )
    overview = client_for(people.director).get(
        reverse("accounts:account_detail", args=[account.pk])
    )
    assert line in overview.content.decode()
    response = client_for(people.director).get(reverse("planning:plan_pdf", args=[account.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert line in text


def test_the_portfolio_shows_value_delivered_and_confirmed_with_a_csv_column(
    client_for, people, account, other_account, planted
):
    _value(other_account, "Not Dana's", "5000000")  # another director's account: not counted
    director = client_for(people.director)
    page = director.get(reverse("portfolio:dashboard")).content.decode()
    assert "Value delivered and confirmed this year: <strong>EUR 120,000</strong>" in page
    # The money entries (2, 1 confirmed) apart from the hours (1, confirmed).
    assert (
        "of EUR 150,000 delivered (1 of 2 entries confirmed). "
        "1 more in other units than money (1 confirmed)."
    ) in " ".join(page.split())
    rows = list(
        csv.DictReader(
            io.StringIO(director.get(reverse("portfolio:health_csv")).content.decode("utf-8-sig"))
        )
    )
    (row,) = rows
    assert Decimal(row["Value delivered this year"]) == Decimal("150000")
    assert Decimal(row["Value confirmed by the customer this year"]) == Decimal("120000")


def test_plan_health_counts_confirmed_value_after_the_first_year(account, people):
    account.selected_on = TODAY - timedelta(days=400)
    account.save()
    plan = AccountPlanFactory(key_account=account)

    def value_points():
        health = health_for_plans([plan], today=TODAY)[plan.pk]
        return next(r.points for r in health.rules if r.key == "value")

    assert value_points() == 10  # nothing recorded this year
    entry = _value(account, "Stock-outs halved", "1000")
    assert value_points() == 5  # recorded, not confirmed
    buyer = StakeholderFactory(key_account=account)
    confirm_value_delivered(entry, stakeholder=buyer)
    assert value_points() == 0
    plan.refresh_from_db()
    assert plan.health_on is None  # the stored score was marked stale by the change


def test_confirm_value_delivered_records_who_and_when_and_tells_the_team(
    account, people, django_capture_on_commit_callbacks
):
    buyer = StakeholderFactory(key_account=account, name="Greta Buyer")
    entry = _value(account, "Stock-outs halved", "1000", user=people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_value_delivered(entry, stakeholder=buyer, confirmed_on=TODAY)
    entry.refresh_from_db()
    assert entry.is_confirmed
    assert (entry.confirmed_by, entry.confirmed_on, entry.confirmed_via) == (
        buyer,
        TODAY,
        "workspace",
    )
    assert AccountEvent.objects.filter(
        key_account=account, kind="value", summary__contains="confirmed by Greta Buyer"
    ).exists()
    assert people.manager.notifications.filter(text__contains="Greta Buyer").count() == 1
    assert people.director.notifications.filter(text__contains="Greta Buyer").count() == 1


def test_only_a_stakeholder_of_the_account_confirms_and_never_before_delivery(
    account, other_account
):
    entry = _value(account, "Stock-outs halved", "1000", on=TODAY)
    stranger = StakeholderFactory(key_account=other_account)
    with pytest.raises(ValidationError, match="stakeholder of this account"):
        confirm_value_delivered(entry, stakeholder=stranger)
    buyer = StakeholderFactory(key_account=account)
    with pytest.raises(ValidationError, match="before it was delivered"):
        confirm_value_delivered(entry, stakeholder=buyer, confirmed_on=TODAY - timedelta(days=1))
    entry.refresh_from_db()
    assert not entry.is_confirmed


def test_changing_the_figures_takes_the_confirmation_back(account, people):
    buyer = StakeholderFactory(key_account=account)
    entry = _value(account, "Stock-outs halved", "1000")
    entry = confirm_value_delivered(entry, stakeholder=buyer)
    fields = {"title": "Stock-outs halved (revised)", "amount": Decimal("1000")}
    entry = value_delivered_save(
        account=account, entry=entry, fields=fields, acting_user=people.manager
    )
    assert entry.is_confirmed  # the title alone: still what the customer confirmed
    entry = value_delivered_save(
        account=account,
        entry=entry,
        fields={"amount": Decimal("2000")},
        acting_user=people.manager,
    )
    assert not entry.is_confirmed and entry.confirmed_by is None


def test_the_team_marks_an_emailed_confirmation(client_for, people, account):
    Programme.ensure()
    buyer = StakeholderFactory(key_account=account, name="Greta Buyer")
    entry = _value(account, "Stock-outs halved", "1000", on=TODAY - timedelta(days=5))
    url = reverse("outcomes:value_confirm", args=[account.pk, entry.pk])
    manager = client_for(people.manager)
    assert "Record the confirmation" in manager.get(url).content.decode()
    response = manager.post(
        url,
        {
            "confirmed_by": buyer.pk,
            "confirmed_on": (TODAY - timedelta(days=2)).isoformat(),
            "confirmation_note": "Her e-mail of Monday",
            "revision": entry.revision,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.confirmed_by, entry.confirmed_via, entry.confirmation_recorded_by) == (
        buyer,
        "email",
        people.manager,
    )
    listing = manager.get(reverse("outcomes:value_list", args=[account.pk])).content.decode()
    assert "by e-mail, recorded by the team" in listing


def test_record_edit_and_remove_through_the_pages(client_for, people, account):
    Programme.ensure()
    opportunity = OpportunityFactory(key_account=account, title="Cold-chain audit")
    objective = ObjectiveFactory(
        plan=AccountPlanFactory(key_account=account), title="Fewer stock-outs"
    )
    manager = client_for(people.manager)
    response = manager.post(
        reverse("outcomes:value_create", args=[account.pk]),
        {
            "title": "Audit found EUR 80k of waste",
            "delivered_on": TODAY.isoformat(),
            "measure": "money",
            "amount": "80000",
            "opportunity": opportunity.pk,
            "objective": objective.pk,
            "evidence_url": "https://example.com/report.pdf",
        },
    )
    assert response.status_code == 302
    entry = ValueDelivered.objects.get()
    assert (entry.currency, entry.opportunity, entry.objective) == ("EUR", opportunity, objective)
    # Another unit needs its name: an error at the field, the text kept.
    response = manager.post(
        reverse("outcomes:value_edit", args=[account.pk, entry.pk]),
        {
            "title": "Audit found waste",
            "delivered_on": TODAY.isoformat(),
            "measure": "other",
            "amount": "12",
            "revision": entry.revision,
        },
    )
    assert response.status_code == 200
    assert "Name the unit" in response.content.decode()
    assert 'value="Audit found waste"' in response.content.decode()
    delete = reverse("outcomes:value_delete", args=[account.pk, entry.pk])
    assert "Remove value delivered?" in manager.get(delete).content.decode()
    assert manager.post(delete).status_code == 302
    assert not ValueDelivered.objects.exists()


def test_an_opportunity_of_another_account_cannot_be_linked(account, other_account):
    with pytest.raises(ValidationError):
        value_delivered_save(
            account=account,
            entry=None,
            fields={
                "title": "x",
                "delivered_on": TODAY,
                "measure": "money",
                "amount": Decimal("1"),
                "opportunity": OpportunityFactory(key_account=other_account),
            },
            acting_user=None,
        )


@pytest.mark.parametrize("entries", [2, 12])
def test_value_page_queries_stay_bounded(
    client_for, people, account, django_assert_max_num_queries, entries
):
    Programme.ensure()
    buyer = StakeholderFactory(key_account=account)
    for n in range(entries):
        entry = _value(account, f"Value {n}", "100")
        if n % 2:
            confirm_value_delivered(entry, stakeholder=buyer)
    client = client_for(people.manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("outcomes:value_list", args=[account.pk])).status_code == 200


def test_the_timeline_writes_a_value_as_the_pages_write_money(client_for, people, account):
    Programme.ensure()
    on = date(TODAY.year, 1, 15)
    _value(account, "Stock-outs halved", "120000", on=on, user=people.manager)
    url = reverse("delivery:timeline", args=[account.pk])
    english = client_for(people.manager).get(url).content.decode()
    assert f"Value delivered recorded: Stock-outs halved (EUR 120,000, 15 Jan {TODAY.year})" in (
        english
    )
    people.manager.language = "fr"
    people.manager.save(update_fields=["language"])
    french = client_for(people.manager).get(url).content.decode()
    # As the overview and the dashboard write it: "120 000 €", not "EUR 120 000".
    assert (
        "Valeur délivrée enregistrée\u00a0: Stock-outs halved "
        f"(120\u00a0000\u00a0€, 15 janv. {TODAY.year})"
    ) in french


def test_value_in_other_units_only_is_counted_as_such(client_for, people, account):
    Programme.ensure()
    _value(account, "Planning hours saved", "400", measure="other", unit="hours")
    _value(account, "CO2 avoided", "12", measure="other", unit="t")
    page = client_for(people.director).get(reverse("outcomes:value_list", args=[account.pk]))
    assert (
        "Value delivered this year: 2 entries in other units than money, 0 confirmed"
        in page.content.decode()
    )
