"""Every box that scrolls sideways inside a page is a named, focusable region: on a phone a wide
table (`.table-responsive`) or matrix (`.chart-scroll`) scrolls inside its box, and a keyboard
user scrolls only what takes the focus (WCAG 2.1.1; axe's scrollable-region-focusable, which the
a11y crawl runs at 390 px). The one way to say so is `{% scroll_region %}` (kam_tags)."""

from __future__ import annotations

import re

from django.template import Context, Template

from tests.conftest import ROOT

SKIPPED = {".venv", "node_modules", "static", "bench"}
# Classes that let a box scroll: Bootstrap's, and the house stylesheet's own (read from it).
BOOTSTRAP_SCROLLERS = {"table-responsive", "overflow-auto", "overflow-scroll", "overflow-x-auto"}
OPENING_DIV = re.compile(r"<div\b(?P<attributes>[^>]*)>")
CLASSES = re.compile(r'\bclass="(?P<classes>[^"]*)"')


def _house_scrollers() -> set[str]:
    """Classes of static/css/kam.css whose rules make a box scroll (`overflow(-x): auto|scroll`)."""
    css = (ROOT / "static" / "css" / "kam.css").read_text()
    found = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if re.search(r"overflow(-x)?\s*:\s*(auto|scroll)", body):
            found |= {name for name in re.findall(r"\.([\w-]+)\s*$", selectors.strip())}
    return found


def _templates():
    for path in sorted(ROOT.rglob("*.html")):
        parts = path.relative_to(ROOT).parts
        if "templates" in parts and not SKIPPED & set(parts):
            yield path


def test_the_house_stylesheet_scrolls_only_the_chart_box():
    # If another class starts to scroll, the template check below covers it by name.
    assert _house_scrollers() == {"chart-scroll"}


def test_every_box_that_scrolls_sideways_is_a_focusable_named_region():
    scrollers = BOOTSTRAP_SCROLLERS | _house_scrollers()
    missing, boxes = [], 0
    for path in _templates():
        text = path.read_text()
        for match in OPENING_DIV.finditer(text):
            classes = CLASSES.search(match["attributes"])
            if not classes or not scrollers & set(classes["classes"].split()):
                continue
            boxes += 1
            if "{% scroll_region " not in match["attributes"]:
                line = text.count("\n", 0, match.start()) + 1
                missing.append(f"{path.relative_to(ROOT)}:{line}: {match[0][:80]}")
    assert boxes >= 60  # the scan reads the templates: 70 boxes when this was written
    assert not missing, "add {% scroll_region %}:\n" + "\n".join(missing)


def test_the_region_is_labelled_by_the_element_named():
    html = Template(
        '{% load kam_tags %}<div class="table-responsive" {% scroll_region "targets" 12 %}>'
        '<div class="chart-scroll" {% scroll_region "matrix-title" %}>'
    ).render(Context())
    assert html == (
        '<div class="table-responsive" tabindex="0" role="region" aria-labelledby="targets-12">'
        '<div class="chart-scroll" tabindex="0" role="region" aria-labelledby="matrix-title">'
    )
