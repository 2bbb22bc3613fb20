"""On a phone the dashboard's tables scroll sideways inside their boxes; a keyboard user reaches
each box (tabindex 0) and a screen reader announces it by its table's caption (a named region).
The class × relationship stage table (`.col-xl-6 > .table-responsive`) failed axe's
scrollable-region-focusable at 390 px: it holds no link, so nothing in it took the focus."""

from collections import Counter
from html.parser import HTMLParser

from django.urls import reverse


class _Regions(HTMLParser):
    """Each region's attributes, and the text of every element with an id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.regions: list[dict] = []
        self.ids: Counter = Counter()
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, id being read)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("role") == "region":
            self.regions.append(attributes)
        if "id" in attributes:
            self.ids[attributes["id"]] += 1
            self.texts.setdefault(attributes["id"], "")
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self._open.append((tag, attributes.get("id")))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _tag, element_id in self._open:
            if element_id:
                self.texts[element_id] += data


def test_each_dashboard_table_box_takes_the_focus_and_is_named_by_its_caption(
    client_for, people, portfolio
):
    html = client_for(people.director).get(reverse("portfolio:dashboard")).content.decode()
    page = _Regions()
    page.feed(html)
    names = {}
    for region in page.regions:
        assert region.get("tabindex") == "0", region
        target = region["aria-labelledby"]
        assert page.ids[target] == 1, f"{target} is on the page {page.ids[target]} times"
        names[target] = " ".join(page.texts[target].split())
    assert names["class-stage-caption"] == "Accounts in view by class and relationship stage."
    # Northwind and the three accounts the fixture's director directs.
    assert names["plan-health-caption"] == "4 accounts, sorted by health."
    assert names["performance-caption"].startswith("Revenue and net profit per account")
    assert names["opportunity-totals-caption"].startswith("Estimated annual value by status")
    assert set(names) == {
        "plan-health-caption",
        "opportunity-totals-caption",
        "performance-caption",
        "class-stage-caption",
    }
