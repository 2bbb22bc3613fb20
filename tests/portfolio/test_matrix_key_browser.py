"""The dashboard's numbered key to the matrix keeps each entry whole: in two columns an entry
used to start at the bottom of one column and end ("… health" / "50") at the top of the next."""

import pytest

from accounts.models import Role
from tests.browser.helpers import log_in
from tests.factories import KeyAccountFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPLIT = """() => [...document.querySelectorAll('.portfolio-matrix-list li')]
  .filter(li => {
    const lefts = new Set([...li.getClientRects()].map(r => Math.round(r.left)));
    return lefts.size > 1;
  })
  .map(li => li.textContent.trim())"""


@pytest.mark.parametrize("width", [1280, 390])
def test_no_matrix_key_entry_is_split_between_columns(page, people, portfolio, width):
    # Entries of uneven length, as in a real portfolio: the columns balance by height.
    for n in range(9):
        ka = KeyAccountFactory(
            customer__name=f"{'Nordic Pharma Logistics ' * (n % 3 + 1)}{n}",
            customer__attractiveness_score=10 + n * 9,
            customer__strength_score=90 - n * 8,
            customer__annual_revenue=100_000 * (n + 1),
        )
        MembershipFactory(user=people.director, key_account=ka, role=Role.DIRECTOR)
    log_in(page, people.director, width=width, height=900)
    page.goto("/portfolio/")
    page.get_by_role("heading", name="Portfolio matrix").wait_for()
    assert page.locator(".portfolio-matrix-list li").count() >= 3
    assert page.evaluate(SPLIT) == []
