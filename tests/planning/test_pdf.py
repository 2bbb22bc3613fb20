import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from planning import services
from planning.models import AccountPlan, Objective

from .conftest import fill_plan
from .factories import PlanRiskFactory


def pdf_text(response) -> tuple[int, str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def pdf_url(plan, query=""):
    return reverse("planning:plan_pdf", args=[plan.key_account_id]) + query


def test_pdf_path_is_the_stable_entry_point(plan):
    assert pdf_url(plan) == f"/accounts/{plan.key_account_id}/plan.pdf"


def test_a_big_plan_still_fits_on_two_pages(client_for, people, plan):
    fill_plan(plan, people, actions=60, stakeholders=30, objectives=14, opportunities=8)
    for i in range(9):
        PlanRiskFactory(plan=plan, description=f"Extra risk {i}", is_internal=False)
    Objective.objects.filter(plan=plan, title="Objective number 0").update(
        rationale="Because " + "a very long reason " * 60
    )
    AccountPlan.objects.filter(pk=plan.pk).update(value_proposition="Value " * 600)
    pages, text = pdf_text(client_for(people.manager).get(pdf_url(plan)))
    assert pages == 2
    assert "Northwind Foods" in text
    # What is not printed is counted: the objectives shown and the "+N more" add up to all 14.
    shown = [i for i in range(14) if f"Objective number {i} " in text]
    assert shown == list(range(len(shown))) and 4 <= len(shown) < 14
    assert f"+{14 - len(shown)} more objectives in the app" in text
    assert "more opportunities in the app" in text
    assert "+5 more actions" in text  # per opportunity: 60 actions over 8 opportunities
    assert "more risks in the app" in text  # 10 risks


def test_empty_plan_renders_two_pages_with_placeholders(client_for, people, plan):
    pages, text = pdf_text(client_for(people.team_member).get(pdf_url(plan)))
    assert pages == 2
    assert "No objectives yet." in text
    assert "No pursued opportunities yet." in text


def test_version_pdf_prints_the_frozen_snapshot(client_for, people, full_plan):
    AccountPlan.objects.filter(pk=full_plan.pk).update(status="submitted")
    services.plan_approve(plan=full_plan, acting_user=people.director)
    services.plan_section_update(
        plan=full_plan,
        section="value_proposition",
        data={"value_proposition": "Brand new promise"},
        revision=0,
        acting_user=people.manager,
    )
    client = client_for(people.executive)
    _p, live = pdf_text(client.get(pdf_url(full_plan)))
    _p, frozen = pdf_text(client.get(pdf_url(full_plan, "?version=1")))
    assert "Brand new promise" in live
    assert "Brand new promise" not in frozen
    assert "We take cost out of your cold chain." in frozen
    assert "Approved version 1" in frozen
    assert client.get(pdf_url(full_plan, "?version=9")).status_code == 404


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("director", 200),
        ("manager", 200),
        ("coordinator", 200),
        ("team_member", 200),
        ("executive", 200),
        ("outsider", 404),
        ("other_manager", 404),
    ],
)
def test_pdf_access_per_role(client_for, people, plan, who, code):
    assert client_for(getattr(people, who)).get(pdf_url(plan)).status_code == code


def test_pdf_needs_login(client_for, plan):
    response = client_for(None).get(pdf_url(plan))
    assert response.status_code == 302 and "/login/" in response["Location"]


def _fits_column(text: str, column_class: str) -> bool:
    """Whether `text`, in a table cell of the plan PDF (7.8 pt DejaVu Sans, 3 pt padding each
    side), fits the width plan_print.css gives `column_class`. The PDF's text layer keeps a cut
    string whole, so the text is measured against the column instead."""
    import re
    from pathlib import Path

    from django.conf import settings
    from PIL import ImageFont

    css = (Path(settings.BASE_DIR) / "planning/static/planning/plan_print.css").read_text()
    column_mm = float(re.search(rf"\.{column_class} \{{ width: ([\d.]+)mm; \}}", css)[1])
    font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not Path(font).exists():
        pytest.skip("DejaVu Sans (fonts-dejavu-core) is not installed")
    size_pt, padding_pt = 7.8, 6
    width_pt = ImageFont.truetype(font, 100).getlength(text) * size_pt / 100
    return width_pt + padding_pt <= column_mm * 72 / 25.4


def test_the_action_status_column_fits_the_longest_status():
    # The printed column cut "Waiting on others, overdue" to "Waiting on others, o…".
    from django.utils import translation

    from planning.models import Action

    with translation.override("en"):  # whatever an earlier test left active
        longest = max((f"{label}, overdue" for label in Action.Status.labels), key=len)
    assert _fits_column(longest, "c-ast")


def test_the_stakeholder_map_prints_every_name_in_its_cell_and_its_axes(client_for, people, plan):
    """The map is embedded as an SVG image (bench/README.md, Findings): its names and axes are
    still the PDF's text, each name once in its cell and once in the key contacts beside it."""
    fill_plan(plan, people, stakeholders=4)
    response = client_for(people.manager).get(pdf_url(plan))
    assert pdf_text(response)[0] == 2
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    for label in ("High", "Medium", "Low", "Blocker", "Sceptic", "Neutral", "Supporter"):
        assert label in text
    assert "Rows: influence · columns: attitude to us" in text
    for i in range(4):  # page 1; page 2's engagement plan may name them again
        assert text.count(f"Stakeholder {i:02d}") == 2


def test_the_plan_prints_the_same_with_weasyprints_own_html_defaults(full_plan):
    """The plan PDF is drawn on our short sheet of HTML defaults (css/print_user_agent.css)
    instead of WeasyPrint's, for speed (bench/README.md, Findings): the same PDF, byte for byte.
    A template that starts using an element the short sheet leaves out fails here."""
    from django.template.loader import render_to_string

    from common.pdf import print_document, print_stylesheet
    from planning.presentation import (
        PRINT_STYLESHEET,
        PRINT_USER_AGENT_STYLESHEET,
        print_layout,
    )
    from planning.snapshot import hydrate, load_plan, plan_to_dict

    snapshot = plan_to_dict(load_plan(full_plan))
    html = render_to_string(
        "planning/plan_print.html",
        {
            "doc": hydrate(snapshot),
            "layout": hydrate(print_layout(snapshot)),
            "lines": ["Value delivered this year: EUR 1,000"],
        },
    )
    sheets = [print_stylesheet(PRINT_STYLESHEET)]
    ours = print_document(html, user_agent_stylesheet=PRINT_USER_AGENT_STYLESHEET)
    weasyprints = print_document(html)
    assert ours.write_pdf(stylesheets=sheets) == weasyprints.write_pdf(stylesheets=sheets)


def test_the_same_plan_pdf_is_drawn_once_and_again_after_any_change(
    client_for, people, plan, pdfs_drawn, settings
):
    """The plan PDF is kept under a digest of its HTML (common.pdf.kept_pdf_key): a second
    request for an unchanged plan is not drawn again; any change to what it prints is, even one
    written behind the services' back (no content version moves here)."""
    settings.PLAN_PDF_KEEP_SECONDS = 60
    drawn = pdfs_drawn
    client = client_for(people.manager)
    first = client.get(pdf_url(plan)).content
    assert client.get(pdf_url(plan)).content == first
    assert len(drawn) == 1
    AccountPlan.objects.filter(pk=plan.pk).update(value_proposition="Shelf life, kept longer")
    _, text = pdf_text(client.get(pdf_url(plan)))
    assert "Shelf life, kept longer" in text
    assert len(drawn) == 2
    settings.PLAN_PDF_KEEP_SECONDS = 0
    client.get(pdf_url(plan))
    assert len(drawn) == 3


def test_a_missed_engagement_is_marked_missed_in_the_pdf_as_on_the_page(client_for, people, plan):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import EngagementActivityFactory

    today = timezone.localdate()
    EngagementActivityFactory(
        plan=plan, purpose="Missed review", next_due_on=today - timedelta(days=3)
    )
    EngagementActivityFactory(plan=plan, purpose="Coming review", next_due_on=today)
    _pages, text = pdf_text(client_for(people.manager).get(pdf_url(plan)))
    missed_day = (today - timedelta(days=3)).strftime("%-d %b %Y")
    assert f"Missed review {missed_day}, missed" in text
    assert f"{today:%-d %b %Y}, missed" not in text
    assert f"Coming review {today:%-d %b %Y}" in text


def test_the_engagement_date_column_fits_a_date_and_missed_in_english_and_french():
    # The longest date ("30 sept. 2026" in French) and the word after it.
    from django.utils import translation

    for language, longest in (("en", "30 Sep 2026"), ("fr", "30 sept. 2026")):
        with translation.override(language):
            shown = f"{longest}, {translation.gettext('missed')}"
        assert _fits_column(shown, "c-next"), shown
