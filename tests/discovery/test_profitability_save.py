"""A profitability year saved in place (issue #22, bench/README.md finding 61): the service
checks the amounts, the year's uniqueness and the account once (not again in the model's
`full_clean`); the years block answered is the block of a fresh page, in English and French."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from discovery.models import ProfitabilityYear
from discovery.services import PROFITABILITY_FIELDS, profitability_year_save
from tests.common.in_place import block_only, htmx
from tests.factories import ProfitabilityYearFactory

from .in_place_cases import year_data

YEARS = "profitability-years"
NOTE = re.compile(r'<p class="small text-success mb-1">[^<]*</p>')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _block_of(page: str, block: str) -> str:
    """A block's <section> cut from a page or an answer, without the saved note and the CSRF
    tokens; white space runs as one."""
    start = page.index(f'<section id="{block}"')
    section = page[start : page.index("</section>", start) + len("</section>")]
    section = CSRF.sub('name="csrfmiddlewaretoken" value=""', NOTE.sub("", section))
    return re.sub(r"\s+", " ", section)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_years_saved_in_place_are_the_years_of_a_fresh_page(
    client_for, people, account, language
):
    """The table (margins, cost to serve, net profit), the trend chart and the lifetime value
    (drawn out of band) all follow the year saved."""
    ProfitabilityYearFactory(key_account=account, year=2024, gross_sales=800000)
    row = ProfitabilityYearFactory(key_account=account, year=2025, gross_sales=900000)
    people.manager.language = language
    people.manager.save(update_fields=["language"])
    client = client_for(people.manager)
    url = reverse("discovery:year_edit", args=[account.pk, row.pk])
    response = client.post(url, year_data(revision=row.revision), headers=htmx(YEARS))
    html = response.content.decode()
    assert response.status_code == 200, html[:2000]
    block_only(html, YEARS)
    full = client.get(reverse("discovery:profitability", args=[account.pk])).content.decode()
    assert _block_of(html, YEARS) == _block_of(full, YEARS)
    assert "195" in _block_of(html, YEARS)  # year_data's net profit
    # The lifetime value is swapped in out of band (its base is the latest year's profit).
    clv = _block_of(html, "clv").replace(' data-hx-swap-oob="true"', "")
    assert clv == _block_of(full, "clv")


def _fields(**changes):
    data = {name: Decimal(value) for name, value in year_data().items() if name != "year"}
    return {"year": 2025, **data, **changes}


def test_the_service_alone_refuses_a_negative_amount(people, account):
    with pytest.raises(ValidationError) as refused:
        profitability_year_save(
            account=account, row=None, fields=_fields(gross_sales=Decimal("-1")),
            acting_user=people.manager,
        )  # fmt: skip
    assert "gross_sales" in refused.value.message_dict
    assert not ProfitabilityYear.objects.exists()


def test_a_year_moved_onto_one_recorded_is_refused(people, account):
    ProfitabilityYearFactory(key_account=account, year=2025)
    row = ProfitabilityYearFactory(key_account=account, year=2024)
    with pytest.raises(ValidationError) as refused:
        profitability_year_save(
            account=account, row=row, fields=_fields(year=2025), acting_user=people.manager,
            revision=row.revision,
        )  # fmt: skip
    assert "year" in refused.value.message_dict
    assert set(PROFITABILITY_FIELDS) >= {"year", "gross_sales"}
    row.refresh_from_db()
    assert row.year == 2024
