"""Performance and concentration compare complete years: one account that has already entered
next year's figures must not turn the programme's comparison into that one account against
everybody (issue 17). Every expected figure is worked out here from the planted rows."""

import csv
import io
import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from tests.factories import KeyAccountFactory, MembershipFactory, ProfitabilityYearFactory

THIS_YEAR = timezone.localdate().year
LAST, BEFORE = THIS_YEAR - 1, THIS_YEAR - 2

# account -> {year: (gross sales, costs)}; net profit = sales − costs. Only Alder is ahead.
FIGURES = {
    "Alder Foods": {
        BEFORE: (800_000, 500_000),
        LAST: (1_000_000, 600_000),
        THIS_YEAR: (50_000, 40_000),
    },
    "Birch Marine": {BEFORE: (500_000, 300_000), LAST: (600_000, 350_000)},
    "Cedar Hotels": {BEFORE: (300_000, 250_000), LAST: (400_000, 300_000)},
}


def _pct(now, before) -> Decimal:
    return (Decimal(now - before) / abs(Decimal(before)) * 100).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )


def _total(year, what):
    index = {"sales": lambda s, c: s, "net": lambda s, c: s - c}[what]
    return sum(index(*years[year]) for years in FIGURES.values() if year in years)


@pytest.fixture
def planted(people):
    for n, (name, years) in enumerate(FIGURES.items()):
        ka = KeyAccountFactory(
            customer__name=name,
            customer__attractiveness_score=Decimal(30 + 20 * n),
            customer__strength_score=Decimal(70 - 20 * n),
        )
        MembershipFactory(user=people.director, key_account=ka, role=Role.DIRECTOR)
        for year, (sales, costs) in years.items():
            ProfitabilityYearFactory(
                key_account=ka, year=year, gross_sales=Decimal(sales), other_costs=Decimal(costs)
            )


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_default_year_is_the_latest_every_account_has(client_for, people, planted):
    response = client_for(people.director).get(reverse("portfolio:dashboard"))
    text = _text(response)
    revenue_change = _pct(_total(LAST, "sales"), _total(BEFORE, "sales"))  # 2.0 M vs 1.6 M
    profit_change = _pct(_total(LAST, "net"), _total(BEFORE, "net"))  # 750 k vs 550 k
    assert revenue_change == Decimal("25.0") and profit_change == Decimal("36.4")
    assert f"Performance {LAST} vs {BEFORE}" in text
    assert f"(+{revenue_change} % on {BEFORE})" in text
    assert f"(+{profit_change} % on {BEFORE})" in text
    # The year ahead is shown with its coverage, not compared.
    assert f"Not compared: {THIS_YEAR}: 1 account of 3 reported" in text
    assert "−95" not in text and "-95" not in text

    # Concentration of the complete year: Alder 400 k of 750 k; the top 20 % of three
    # accounts is ceil(0.6) = 1 account.
    nets = sorted((s - c for s, c in (y[LAST] for y in FIGURES.values())), reverse=True)
    top1 = (Decimal(nets[0]) / Decimal(sum(nets)) * 100).quantize(Decimal("0.1"))
    assert math.ceil(len(nets) * 0.2) == 1
    c = response.context["performance"]["concentration"]
    assert c["year"] == LAST and c["complete"]
    assert [t["share"] for t in c["tops"]] == [top1, Decimal("100.0"), Decimal("100.0"), top1]
    assert f"3 accounts of 3 with figures for {LAST}" in text
    assert f'<th scope="row">Top 1 account</th><td class="text-end">{top1} %' in text


def test_a_partial_year_picked_by_hand_is_compared_like_for_like(client_for, people, planted):
    response = client_for(people.director).get(reverse("portfolio:dashboard"), {"year": THIS_YEAR})
    text = _text(response)
    assert f"Performance {THIS_YEAR} vs {LAST}" in text
    assert f"{THIS_YEAR}: 1 account of 3 reported." in text
    # Only Alder has both years: 50 k against its own 1 M, not against all three accounts.
    alder = FIGURES["Alder Foods"]
    like_for_like = _pct(alder[THIS_YEAR][0], alder[LAST][0])
    assert like_for_like == Decimal("-95.0")
    # A fall with the minus sign (U+2212), as every page writes it.
    assert f"(\u2212{-like_for_like} % on {LAST}, like for like over 1 account)" in text
    assert f"1 account of 3 with figures for {THIS_YEAR}" in text
    # The year stays in the links that keep the filters (sorting, exports).
    assert f"year={THIS_YEAR}" in response.context["export_query"]


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_performance_csv_follows_the_same_rule(client_for, people, planted):
    client = client_for(people.director)
    rows = _csv(client.get(reverse("portfolio:performance_csv")))
    header, total = rows[0], dict(zip(rows[0], rows[-1], strict=True))
    assert f"Revenue {LAST}" in header
    assert total["Account"] == "All 3 accounts in view"
    assert total[f"Reported {LAST}"] == "3 of 3"
    assert Decimal(total[f"Revenue {LAST}"]) == _total(LAST, "sales")
    assert Decimal(total["Revenue change (%)"]) == _pct(
        _total(LAST, "sales"), _total(BEFORE, "sales")
    )
    assert Decimal(total["Net profit change (%)"]) == _pct(
        _total(LAST, "net"), _total(BEFORE, "net")
    )

    rows = _csv(client.get(reverse("portfolio:performance_csv"), {"year": THIS_YEAR}))
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert total[f"Reported {THIS_YEAR}"] == "1 of 3"
    assert total["Account"] == "All 3 accounts in view (change like for like over 1)"
    assert total["Revenue change (%)"] == "-95.0"
    birch = next(dict(zip(rows[0], r, strict=True)) for r in rows if r[0] == "Birch Marine")
    assert birch[f"Reported {THIS_YEAR}"] == "no"


def test_one_account_of_three_reported_agrees_in_french(client_for, people, planted):
    # French agrees the verb with who reported, not with the total: "1 compte sur 3 a
    # déclaré" (it read "1 comptes sur 3 ont déclaré", the plural chosen by the 3).
    people.director.language = "fr"
    people.director.save(update_fields=["language"])
    response = client_for(people.director).get(reverse("portfolio:dashboard"), {"year": THIS_YEAR})
    html = response.content.decode()
    assert f"{THIS_YEAR}\u00a0: 1 compte sur 3 a déclaré." in html
    assert "1 comptes sur 3" not in html


def test_dashboard_pdf_shows_the_complete_year_and_the_coverage(client_for, people, planted):
    response = client_for(people.director).get(reverse("portfolio:dashboard_pdf"))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"Performance {LAST} vs {BEFORE}" in text
    assert f"{LAST}: all 3 accounts reported" in text
    assert f"Not compared: {THIS_YEAR}: 1 account of 3 reported" in text
    assert f"{_pct(_total(LAST, 'sales'), _total(BEFORE, 'sales'))} %" in text


def test_concentration_chart_draws_each_point_and_label_once():
    from common.charts import concentration_curve

    # Twelve accounts: the top 3 and the top 20 % (ceil(2.4) = 3) are the same accounts.
    tops = [
        {"label": "Top 1 account", "accounts": 1, "share": Decimal("30.0")},
        {"label": "Top 3 accounts", "accounts": 3, "share": Decimal("70.0")},
        {"label": "Top 5 accounts", "accounts": 5, "share": Decimal("90.0")},
        {"label": "Top 20 % of accounts", "accounts": 3, "share": Decimal("70.0")},
    ]
    curve = [(Decimal(0), Decimal(0)), (Decimal(100), Decimal(100))]
    chart = concentration_curve({"accounts": 12, "tops": tops, "curve": curve})
    assert [m["label"] for m in chart["marks"]] == ["30 %", "70 %", "90 %"]
    assert chart["marks"][1]["text"] == "Top 3 accounts, top 20 % of accounts"
    assert all(m["show_label"] for m in chart["marks"])


def test_profit_bubbles_compare_the_same_year_for_every_account(client_for, people, planted):
    """Sibling: the matrix's profit bubbles took each account's own latest year, so Alder (ahead)
    was drawn with this year's 10 k against the others' last year."""
    response = client_for(people.director).get(reverse("portfolio:dashboard"), {"bubble": "profit"})
    values = {p["account"].name: p["value"] for p in response.context["matrix"]["points"]}
    expected = {name: Decimal(y[LAST][0] - y[LAST][1]) for name, y in FIGURES.items()}
    assert values == expected
    text = _text(response)
    assert (
        f"Alder Foods</a> — Strategic, net profit EUR {expected['Alder Foods']:,.0f} ({LAST})"
        in text
    )
    assert f"<strong>net profit {LAST}</strong>" in text


def test_an_account_out_of_view_with_both_years_stays_out_of_the_like_for_like(
    client_for, people, planted
):
    # Another director's account reports both years: the "has the other year" test reads
    # every account's figures, but only the rows of the accounts in view are added up.
    outside = KeyAccountFactory(customer__name="Elm Outside")
    for year, sales in ((LAST, 900_000), (THIS_YEAR, 2_000_000)):
        ProfitabilityYearFactory(key_account=outside, year=year, gross_sales=Decimal(sales))
    response = client_for(people.director).get(reverse("portfolio:dashboard"), {"year": THIS_YEAR})
    text = _text(response)
    alder = FIGURES["Alder Foods"]
    like_for_like = _pct(alder[THIS_YEAR][0], alder[LAST][0])
    # A fall with the minus sign (U+2212), as every page writes it.
    assert f"(\u2212{-like_for_like} % on {LAST}, like for like over 1 account)" in text
    assert "Elm Outside" not in text
