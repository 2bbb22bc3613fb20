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


def test_a_bubbles_title_writes_its_revenue_as_money_in_the_readers_format(
    client_for, people, settings
):
    CustomerFactory(
        name="Vistula Hardware",
        strength_score=Decimal("62.5"),
        attractiveness_score=Decimal("71.25"),
        annual_revenue=Decimal("6100000"),
    )
    client = client_for(people.programme_admin)
    page = client.get(reverse("strategy:matrix")).content.decode()
    assert (
        "<title>Vistula Hardware: attractiveness 71.25, strength 62.50, revenue EUR 6,100,000"
        in page
    )
    people.programme_admin.language = "fr"
    people.programme_admin.save(update_fields=["language"])
    text = client_for(people.programme_admin).get(reverse("strategy:matrix")).content.decode()
    assert "<title>Vistula Hardware" in text
    title = text[text.index("<title>Vistula Hardware") :].split("</title>")[0]
    assert "71,25" in title and "62,50" in title
    assert "revenue" not in title and "6\u00a0100\u00a0000\u00a0€" in title


def test_what_each_class_asks_is_written_in_the_readers_language(client_for, people):
    """The quadrants' first words and the recommended strategies were English on French
    pages."""
    CustomerFactory(strength_score=Decimal(60), attractiveness_score=Decimal(70))
    people.programme_admin.language = "fr"
    people.programme_admin.save(update_fields=["language"])
    page = client_for(people.programme_admin).get(reverse("strategy:matrix")).content.decode()
    for french in (
        "Investir",
        "Développer sélectivement",
        "Entretien proactif",
        "Rationaliser",
        "Investir\u00a0: co-développer, multiplier les contacts, acheter sur la valeur",
    ):
        assert french in page
    for english in ("Invest:", "Develop selectively", "Proactive maintenance", "Streamline:"):
        assert english not in page


def test_on_a_phone_each_bubble_is_a_24_px_target_and_a_list_gives_the_same(client_for, people):
    """Five customers scored alike: drawn as they were they would be one bubble. Each gets
    a tap circle of radius 12 at least (one SVG unit is one CSS px on a phone: the chart
    scrolls sideways) and centres 24 apart; the list below reads each by class."""
    import math
    import re

    for i in range(5):
        CustomerFactory(
            name=f"Twin {i}",
            strength_score=Decimal(70),
            attractiveness_score=Decimal(80),
            classification="strategic",
            annual_revenue=Decimal(1000),
        )
    CustomerFactory(
        name="Lone Star",
        strength_score=Decimal(20),
        attractiveness_score=Decimal(80),
        classification="star",
    )
    page = client_for(people.programme_admin).get(reverse("strategy:matrix")).content.decode()
    assert re.search(r'<div class="chart-scroll" tabindex="0"[^>]*>\s*<svg class="kam-chart"', page)
    taps = [
        (float(x), float(y), float(r))
        for x, y, r in re.findall(
            r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)" fill="transparent" '
            r'class="matrix-tap"/>',
            page,
        )
    ]
    # Lone Star (the largest revenue) is a bubble of radius 28 already: no tap circle needed.
    assert len(taps) == 5 and all(r >= 12 for _x, _y, r in taps)
    assert (
        min(math.hypot(a[0] - b[0], a[1] - b[1]) for i, a in enumerate(taps) for b in taps[i + 1 :])
        >= 24
    )
    listed = page.split('id="matrix-list"', 1)[1].split(">", 1)[1].split("</section>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", listed).split())
    assert text.startswith("Customers on the matrix, by class Strategic (5) Twin 0 — ")
    assert "Twin 4 — attractiveness 80.00, strength 70.00" in text
    assert "Star (1) Lone Star — attractiveness 80.00, strength 20.00" in text
    assert "Status (0) None. Streamline (0) None." in text
    assert '<a href="#matrix-list">Go to the list of customers on the matrix</a>' in page
