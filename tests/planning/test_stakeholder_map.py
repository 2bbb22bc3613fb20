"""The stakeholder map keeps every name inside its own cell (screen and the two-page PDF)."""

import re

from django.urls import reverse

from common.charts import GLYPH_WIDTH
from planning.presentation import MAP_LAYOUT, stakeholder_map

from ..factories import StakeholderFactory


def test_a_long_name_gets_smaller_type_and_a_short_one_keeps_the_normal_size(
    client_for, people, account, plan
):
    StakeholderFactory(key_account=account, name="Annika Svensson", influence="high")
    StakeholderFactory(key_account=account, name="Ann Lee", influence="low")
    html = client_for(people.manager).get(reverse("planning:plan", args=[account.pk])).content
    svg = re.search(r'<svg class="kam-chart stakeholder-map".*?</svg>', html.decode(), re.S)[0]

    def size_of(name):
        return float(re.search(rf'font-size="([\d.]+)"[^>]*>{name}</text>', svg)[1])

    assert size_of("Ann Lee") == MAP_LAYOUT.name_size
    assert size_of("Annika Svensson") < MAP_LAYOUT.name_size


def test_every_name_on_the_map_fits_its_cell():
    # "Annika Svensson" ran over into the next cell of the printed plan.
    people = [
        {"name": "Annika Svensson", "influence": "high", "attitude": "supporter"},
        {"name": "Oskar Lindqvist", "influence": "high", "attitude": "sceptic"},
        {"name": "Maximiliane Oberhuber-Schmidt", "influence": "low", "attitude": "champion"},
        {"name": "Ann Lee", "influence": "low", "attitude": "neutral"},
    ]
    chart = stakeholder_map(people)
    lines = [(cell, line) for cell in chart["cells"] for line in cell["lines"]]
    assert len(lines) == 4
    for cell, line in lines:
        width = len(line["text"]) * GLYPH_WIDTH * line["size"]
        assert width <= cell["width"] - 8, line["text"]
