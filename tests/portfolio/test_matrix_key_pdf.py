"""The PDF's numbered key to the matrix: every entry shows its number, and a long account
name gives way (with an ellipsis) before the health score and the "was <class>" note, which
were cut off at the column's edge ("… · 65 · was Strea"). Checked on WeasyPrint's layout."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from common.pdf import PDF_BASE_URL, static_only_url_fetcher
from planning.models import AccountPlan, HealthRecord
from portfolio.selectors import PortfolioFilters, dashboard

LONG = "Baltic Marine Supply and Offshore Logistics Services Group"


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def _key_entries(document):
    """Each entry of the key (the only flex list items on the page): its box and the text
    boxes laid out inside it."""
    for page in document.pages:
        for box in _boxes(page._page_box):
            if getattr(box, "element_tag", None) == "li" and type(box).__name__ == "FlexBox":
                yield box, [b for b in _boxes(box) if hasattr(b, "text")]


def test_the_score_and_the_class_note_stay_visible_and_numbered(people, portfolio):
    customer = portfolio.baltic.customer
    customer.name = LONG
    customer.save()
    context = dashboard(user=people.director, filters=PortfolioFilters())
    context["user"] = people.director
    html = render_to_string("portfolio/dashboard_print.html", context)
    document = HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=static_only_url_fetcher()
    ).render()
    entries = list(_key_entries(document))
    numbers = [p["number"] for p in context["matrix"]["points"]]
    assert len(entries) == len(numbers)
    for (entry, texts), number in zip(entries, numbers, strict=True):
        assert texts[0].text.strip() == f"{number}."
        right = entry.content_box_x() + entry.width
        number_box, name_box, tail_box = entry.children
        # The tail (score, "was <class>") is laid out whole inside the entry; the name's box
        # (overflow hidden: what shows of the name) ends where the tail begins.
        assert tail_box.position_x + tail_box.margin_width() <= right + 0.5, texts[-1].text
        assert name_box.position_x + name_box.margin_width() <= tail_box.position_x + 0.5
    baltic = next(texts for _entry, texts in entries if any("Baltic" in t.text for t in texts))
    assert baltic[-1].text.strip().endswith("was Streamline")


def _cells(box, tags=("td", "th")):
    for cell in _boxes(box):
        if getattr(cell, "element_tag", None) in tags and type(cell).__name__ == "TableCellBox":
            yield cell


def test_page_two_shows_whole_class_names_and_health(people, portfolio):
    """ "Stream…" as the class row of the class × stage grid and "50 Needs attentio" in the
    health column were cut by the fixed table layout."""
    context = dashboard(user=people.director, filters=PortfolioFilters())
    context["user"] = people.director
    html = render_to_string("portfolio/dashboard_print.html", context)
    document = HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=static_only_url_fetcher()
    ).render()
    page_two = document.pages[1]._page_box
    texts = [b.text for b in _boxes(page_two) if hasattr(b, "text")]
    assert "Streamline" in texts
    for cell in _cells(page_two):
        right = cell.border_box_x() + cell.border_width()
        for text in (b for b in _boxes(cell) if hasattr(b, "text")):
            assert text.position_x + text.width <= right + 0.5, text.text


@pytest.mark.parametrize("language, change", [("en", "in 30 d)"), ("fr", "en 30 j)")])
def test_page_two_health_table_fits_the_page_with_its_30_day_change(
    people, portfolio, language, change
):
    """ "50 Needs attention (−6 in 30 d)" was cut at the page's edge after "(−6 in": the
    columns' widths filled the whole page before their padding, so the table ran past it."""

    long_ago = timezone.localdate() - timedelta(days=31)
    for plan in AccountPlan.objects.filter(
        key_account__in=[portfolio.northwind, portfolio.baltic, portfolio.castello]
    ):
        HealthRecord.objects.create(plan=plan, recorded_on=long_ago, score=99)
    with translation.override(language):
        context = dashboard(user=people.director, filters=PortfolioFilters())
        context["user"] = people.director
        html = render_to_string("portfolio/dashboard_print.html", context)
    document = HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=static_only_url_fetcher()
    ).render()
    page_two = document.pages[1]._page_box
    page_right = page_two.content_box_x() + page_two.width
    texts = [b.text for b in _boxes(page_two) if hasattr(b, "text")]
    assert any(change in t for t in texts)
    for cell in _cells(page_two):
        right = cell.border_box_x() + cell.border_width()
        assert right <= page_right + 0.5
        for text in (b for b in _boxes(cell) if hasattr(b, "text")):
            assert text.position_x + text.width <= right + 0.5, text.text
    # The health table's headings whole (no ellipsis): "Voie/risque/hors" was "Voie/risqu…".
    health_table = next(b for b in _boxes(page_two) if getattr(b, "element_tag", None) == "table")
    for heading in _cells(health_table, tags=("th",)):
        for text in (b for b in _boxes(heading) if hasattr(b, "text")):
            assert "…" not in text.text, text.text
