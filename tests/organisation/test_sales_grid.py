"""Blake–Mouton sales grid: the five styles and the exact edges between them."""

import pytest

from organisation.models import SellingStyle, selling_style


@pytest.mark.parametrize(
    ("customer", "sale", "style"),
    [
        # corners
        (1, 1, SellingStyle.ORDER_TAKER),
        (9, 1, SellingStyle.CUSTOMER_FRIEND),
        (1, 9, SellingStyle.PRESSURE_SELLER),
        (9, 9, SellingStyle.PROBLEM_SOLVER),
        (5, 5, SellingStyle.COMPROMISER),
        # the inner edge of each corner band (3 is still low, 7 is already high)
        (3, 3, SellingStyle.ORDER_TAKER),
        (7, 3, SellingStyle.CUSTOMER_FRIEND),
        (3, 7, SellingStyle.PRESSURE_SELLER),
        (7, 7, SellingStyle.PROBLEM_SOLVER),
        # one step inside the middle band on either axis: compromiser
        (4, 3, SellingStyle.COMPROMISER),
        (3, 4, SellingStyle.COMPROMISER),
        (6, 7, SellingStyle.COMPROMISER),
        (7, 6, SellingStyle.COMPROMISER),
        (7, 4, SellingStyle.COMPROMISER),
        (4, 7, SellingStyle.COMPROMISER),
        (9, 5, SellingStyle.COMPROMISER),
        (5, 9, SellingStyle.COMPROMISER),
    ],
)
def test_sales_grid_point_falls_in_the_documented_region(customer, sale, style):
    assert selling_style(customer, sale) == style


@pytest.mark.parametrize(("customer", "sale"), [(0, 5), (10, 5), (5, 0), (5, 10)])
def test_sales_grid_refuses_points_off_the_grid(customer, sale):
    with pytest.raises(ValueError, match="from 1 to 9"):
        selling_style(customer, sale)


def test_every_point_of_the_grid_has_exactly_one_style():
    counts = {}
    for customer in range(1, 10):
        for sale in range(1, 10):
            style = selling_style(customer, sale)
            counts[style] = counts.get(style, 0) + 1
    # four 3×3 corners, the remaining 81 - 36 = 45 points are compromisers
    assert counts == {
        SellingStyle.ORDER_TAKER: 9,
        SellingStyle.CUSTOMER_FRIEND: 9,
        SellingStyle.PRESSURE_SELLER: 9,
        SellingStyle.PROBLEM_SOLVER: 9,
        SellingStyle.COMPROMISER: 45,
    }
