"""Money on the dashboard stays on one line ("EUR" above the number read as two figures)."""

import re

from django.urls import reverse


def test_lifetime_values_do_not_wrap_between_currency_and_number(client_for, people, portfolio):
    html = client_for(people.director).get(reverse("portfolio:dashboard")).content.decode()
    cells = re.findall(r'<td class="text-end[^"]*">EUR [\d,]+</td>', html)
    ltv = html[html.index("Customer lifetime value") :]
    ltv_cells = re.findall(r'<td class="(text-end[^"]*)">EUR [\d,]+</td>', ltv)
    assert cells and ltv_cells
    assert all("text-nowrap" in classes for classes in ltv_cells)


def test_pipeline_chart_axis_label_fits_its_margin_for_huge_pipelines():
    # A pipeline of about EUR 1,000 bn was labelled "EUR 1000014.5 M" and ran off the chart.
    from decimal import Decimal

    from common.charts import Q_LEFT, compact, quarter_bars

    quarters = [
        {"label": "Q1 2027", "open": Decimal("1000014500000"), "won": Decimal("755000")},
        {"label": "Q2 2027", "open": Decimal("3100000"), "won": Decimal("0")},
    ]
    chart = quarter_bars(quarters)
    assert chart["top_label"] == "1,000 bn"
    assert len(chart["top_label"]) * 0.6 * 10 <= Q_LEFT - 6  # font size 10, right-aligned
    assert compact(14_600_000) == "14.6 M" and compact(2_500_000_000) == "2.5 bn"
