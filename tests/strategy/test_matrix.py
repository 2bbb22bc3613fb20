"""The classification matrix on /strategy/matrix/ reads like Cranfield's matrix (and like the
portfolio dashboard's): our business strength high on the left, attractiveness high at the top,
so Strategic is the top-left quadrant."""

from decimal import Decimal

from django.urls import reverse

from accounts.models import Programme
from strategy.selectors import matrix_chart
from tests.factories import CustomerFactory


def _box(chart, value):
    return next(q for q in chart["quadrants"] if q["value"] == value)


def test_strategic_customers_sit_top_left_and_streamline_bottom_right(db):
    programme = Programme.ensure()
    strong = CustomerFactory(
        name="Strong and attractive", strength_score=Decimal(90), attractiveness_score=Decimal(90)
    )
    weak = CustomerFactory(
        name="Weak and unattractive", strength_score=Decimal(10), attractiveness_score=Decimal(10)
    )
    chart = matrix_chart(programme=programme)
    points = {p["customer"].pk: p for p in chart["points"]}
    for customer, value in ((strong, "strategic"), (weak, "streamline")):
        box, point = _box(chart, value), points[customer.pk]
        assert box["x"] <= point["x"] <= box["x"] + box["width"]
        assert box["y"] <= point["y"] <= box["y"] + box["height"]
    assert points[strong.pk]["x"] < chart["split_x"] < points[weak.pk]["x"]
    assert _box(chart, "strategic")["x"] == chart["plot"]["left"]


def test_the_page_says_which_way_strength_runs(client_for, people):
    CustomerFactory(strength_score=Decimal(60), attractiveness_score=Decimal(70))
    page = client_for(people.programme_admin).get(reverse("strategy:matrix")).content.decode()
    assert "← stronger · Our business strength · weaker →" in page
    assert "100 on the left to 0 on the right" in page
