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
