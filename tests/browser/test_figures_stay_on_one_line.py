"""Money in tables stays on one line: 'EUR' above '150,000' read as two figures."""

import pytest

from tests.browser.helpers import log_in
from tests.factories import OpportunityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRAPPED = """() => [...document.querySelectorAll('td.text-end')]
  .filter(td => td.textContent.includes('EUR'))
  .filter(td => {
    const range = document.createRange();
    range.selectNodeContents(td);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return lines.size > 1;
  })
  .map(td => td.textContent.trim())"""


def test_money_in_the_opportunity_table_does_not_wrap(page, people, account):
    for n in range(3):
        OpportunityFactory(
            key_account=account,
            title=f"A long opportunity title that takes room in the table, number {n}",
            annual_value=6_500_000,
            profit_potential=900_000,
        )
    log_in(page, people.manager, width=1280, height=900)
    page.goto("/opportunities/")
    page.get_by_role("heading", name="Value opportunities").wait_for()
    assert page.evaluate(WRAPPED) == []
