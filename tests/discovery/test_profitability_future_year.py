"""A profitability year records actual results, so it is a year that has begun: one later
than the writer's current year (in their own time zone) is refused at the year field, with
everything typed kept, by the service every writer goes through
(discovery.services.profitability_year_refusal). The lifetime value's projection of the years
ahead is a separate concept and stores no year."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from discovery import services
from discovery.models import LifetimeValueAssumption, ProfitabilityYear
from tests.common.in_place import block_only, field_tag, htmx
from tests.factories import ProfitabilityYearFactory

from .in_place_cases import year_data


def _refusal(year, current):
    return (
        f"{year} has not begun yet: a profitability year records actual results. Enter "
        f"{current} or an earlier year; the lifetime value projects the years ahead."
    )


def _year_error(html):
    """The message drawn at the year field (crispy's invalid-feedback the input points at)."""
    tag = field_tag(html, "year")
    assert "id_year_error" in tag.split("aria-describedby=")[1].split(" id=")[0]
    assert "is-invalid" in tag
    return html.split('<div id="id_year_error" class="invalid-feedback">')[1].split("</div>")[0]


def test_next_year_is_refused_at_the_year_field_and_what_was_typed_is_kept(
    client_for, people, account
):
    this_year = timezone.localdate().year
    url = reverse("discovery:year_create", args=[account.pk])
    data = year_data(year=str(this_year + 1), transport="31234")
    response = client_for(people.manager).post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert _refusal(this_year + 1, this_year) in _year_error(html)
    assert f'value="{this_year + 1}"' in field_tag(html, "year")
    assert 'value="31234"' in field_tag(html, "transport")
    assert "autofocus" in field_tag(html, "year")  # the first field in error takes the focus
    assert not ProfitabilityYear.objects.filter(key_account=account).exists()


def test_in_place_the_block_says_the_same_and_keeps_the_typed_amounts(client_for, people, account):
    this_year = timezone.localdate().year
    url = reverse("discovery:year_create", args=[account.pk])
    data = year_data(year=str(this_year + 3), gross_sales="777000")
    response = client_for(people.manager).post(url, data, headers=htmx("profitability-years"))
    html = response.content.decode()
    assert response.status_code == 200
    block_only(html, "profitability-years")
    assert _refusal(this_year + 3, this_year) in _year_error(html)
    assert 'value="777000"' in field_tag(html, "gross_sales")


def test_an_existing_year_cannot_be_moved_into_the_future(client_for, people, account):
    this_year = timezone.localdate().year
    row = ProfitabilityYearFactory(key_account=account, year=this_year - 1)
    url = reverse("discovery:year_edit", args=[account.pk, row.pk])
    data = year_data(year=str(this_year + 1), revision=row.revision)
    html = client_for(people.manager).post(url, data).content.decode()
    assert _refusal(this_year + 1, this_year) in _year_error(html)
    row.refresh_from_db()
    assert row.year == this_year - 1


def test_the_current_year_and_earlier_ones_are_accepted(client_for, people, account):
    this_year = timezone.localdate().year
    client = client_for(people.manager)
    url = reverse("discovery:year_create", args=[account.pk])
    for year in (this_year, this_year - 1):
        assert client.post(url, year_data(year=str(year))).status_code == 302
    years = ProfitabilityYear.objects.filter(key_account=account).values_list("year", flat=True)
    assert sorted(years) == [this_year - 1, this_year]


def test_the_add_form_offers_the_readers_year(client_for, people, account, monkeypatch):
    # 31 December 2026, 23:30 in London is already 1 January 2027 in Auckland.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    people.manager.time_zone = "Pacific/Auckland"
    people.manager.save(update_fields=["time_zone"])
    url = reverse("discovery:year_create", args=[account.pk])
    html = client_for(people.manager).get(url).content.decode()
    assert 'value="2027"' in field_tag(html, "year")


@pytest.mark.parametrize(
    ("zone", "accepted"), [("Pacific/Auckland", True), ("Europe/London", False)]
)
def test_the_current_year_is_the_writers_own(people, account, monkeypatch, zone, accepted):
    """Every writer goes through the service (the page, the demo data; no import or API writes
    a year): its rule reads the writer's date in their time zone, as a check-in's does."""
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    people.manager.time_zone = zone
    people.manager.save(update_fields=["time_zone"])
    fields = {name: Decimal("0") for name in ProfitabilityYear.MONEY_FIELDS}

    def save():
        return services.profitability_year_save(
            account=account, row=None, fields={**fields, "year": 2027}, acting_user=people.manager
        )

    if accepted:
        assert save().year == 2027
    else:
        with pytest.raises(ValidationError) as refused:
            save()
        assert refused.value.message_dict["year"] == [_refusal(2027, 2026)]


def test_the_lifetime_value_still_projects_the_years_ahead(client_for, people, account):
    # Base 100,000 (this year's net profit), growth 0 %, discount 0 %, 3 years ahead:
    # 3 × 100,000 = 300,000, though none of those years may be recorded.
    this_year = timezone.localdate().year
    ProfitabilityYearFactory(key_account=account, year=this_year, gross_sales=100000)
    LifetimeValueAssumption.objects.create(
        key_account=account, growth_rate_percent=0, discount_rate_percent=0, horizon_years=3
    )
    html = client_for(people.manager).get(reverse("discovery:profitability", args=[account.pk]))
    assert "EUR 300,000" in html.content.decode().split('<section id="clv"')[1]


def test_the_admin_asks_the_same_rule(account):
    """The admin writes a year without the service; it refuses a year not begun all the same."""
    from tests.admin_pages import admin_change_form, superuser_client
    from tests.common.test_conflict_pages import form_data

    this_year = timezone.localdate().year
    row = ProfitabilityYearFactory(key_account=account, year=this_year - 1)
    admin = superuser_client()
    url = reverse("admin:discovery_profitabilityyear_change", args=[row.pk])
    form, _html = admin_change_form(admin, url)
    response = admin.post(url, form_data(form, year=str(this_year + 1)))
    assert response.status_code == 200
    assert _refusal(this_year + 1, this_year) in response.content.decode()
    row.refresh_from_db()
    assert row.year == this_year - 1
    assert admin.post(url, form_data(form, year=str(this_year))).status_code == 302
