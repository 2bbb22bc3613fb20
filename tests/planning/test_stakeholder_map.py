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


NBSP = "\u00a0"


def test_the_map_speaks_french_to_a_french_reader(client_for, people, account, plan):
    """Each cell's tooltip and the chart's description in French: "Influence élevée" (not
    "Élevée influence"), a no-break space before the colon, one stakeholder in the singular;
    the stakeholder map page names its rows the same way."""
    StakeholderFactory(key_account=account, name="Ann Lee", influence="high", attitude="supporter")
    client = client_for(people.manager)

    page = client.get(reverse("planning:plan", args=[account.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    svg = re.search(r'<svg class="kam-chart stakeholder-map".*?</svg>', html, re.S)[0]

    assert f"<title>Influence élevée, soutien{NBSP}: 1</title>" in svg
    assert f"<title>Influence faible, opposant{NBSP}: 0</title>" in svg
    assert (
        "1 partie prenante par influence et attitude envers nous — "
        f"Influence élevée, soutien{NBSP}: 1." in svg
    )
    for english in ("influence,", "stakeholders by", "soutien: 1", "soutien : 1"):
        assert english not in svg, english

    map_page = client.get(
        reverse("discovery:stakeholder_map", args=[account.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert ">Influence élevée</text>" in map_page
    assert ">Influence moyenne</text>" in map_page
    assert "Élevée influence" not in map_page and "Influence Élevée" not in map_page
