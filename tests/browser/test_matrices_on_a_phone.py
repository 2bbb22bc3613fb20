"""The classification and opportunity matrices on a 390 px phone: the chart shrank to fit, so
the smallest bubbles were 6 px wide and customers scored alike sat on one spot. Now each
bubble one taps is at least 24 × 24 CSS px (WCAG 2.5.8), measured in the browser, the chart
scrolls sideways inside its box (the page itself does not), and the list of the same
customers is one link away."""

from decimal import Decimal

import pytest

from opportunities import services as opportunity_services
from tests.browser.helpers import log_in
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per bubble link: the largest circle it holds (its mark or its tap circle), in CSS px.
TAP_SIZES = """els => els.map(a => Math.min(...['width', 'height'].map(side =>
    Math.max(...[...a.querySelectorAll('circle')].map(c => c.getBoundingClientRect()[side])))))"""


def test_every_bubble_is_a_24_px_target_on_a_phone(page, people, account):
    for i in range(6):
        CustomerFactory(
            name=f"Twin {i}",
            strength_score=Decimal(70),
            attractiveness_score=Decimal(80),
            classification="strategic",
            annual_revenue=Decimal(1000 * (i + 1)),
        )
    CustomerFactory(
        name="Big One",
        strength_score=Decimal(20),
        attractiveness_score=Decimal(20),
        classification="streamline",
        annual_revenue=Decimal(90_000_000),
    )
    for i in range(4):  # scored alike: one spot
        opportunity_services.opportunity_create(
            account=account,
            values={
                "title": f"Same {i}",
                "annual_value": Decimal(100_000),
                "profit_potential": Decimal(20_000),
                **dict.fromkeys(opportunity_services.SCORE_FIELDS, 3),
            },
            acting_user=people.manager,
        )
    log_in(page, people.director, width=390)

    page.goto("/strategy/matrix/")
    sizes = page.eval_on_selector_all("svg.kam-chart a.matrix-point", TAP_SIZES)
    assert len(sizes) == 7 and min(sizes) >= 24, sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Go to the list of customers on the matrix").click()
    listed = page.locator("#matrix-list").get_by_role("link", name="Twin 5", exact=True)
    assert listed.is_visible()

    page.goto(f"/accounts/{account.pk}/opportunities/")
    sizes = page.eval_on_selector_all("svg.kam-chart a", TAP_SIZES)
    assert len(sizes) == 4 and min(sizes) >= 24, sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
