"""The crawler behind the accessibility test: what counts as one page type, which links it
leaves alone."""

from tests.a11y.crawl import normalise_link, page_type


def test_editor_variants_are_types_of_their_own_but_ids_are_not():
    assert page_type("/accounts/4/plan/") == "planning:plan"
    assert page_type("/accounts/4/plan/?edit=action-12") == "planning:plan?edit=action"
    assert page_type("/accounts/9/plan/?edit=action-3") == "planning:plan?edit=action"
    assert page_type("/accounts/4/plan/?section=swot") == "planning:plan?section=swot"
    assert page_type("/accounts/4/plan/?add=target-3") == "planning:plan?add=target"


def test_list_filters_count_for_the_validator_but_not_for_axe():
    assert page_type("/opportunities/?sort=title") == "opportunities:index?sort"
    assert page_type("/opportunities/?sort=title", editors_only=True) == "opportunities:index"


def test_downloads_sign_out_admin_and_other_sites_are_not_followed():
    for href in (
        "/accounts/4/plan.pdf",
        "/portfolio/health.csv",
        "/logout/",
        "/admin/",
        "/static/css/kam.css",
        "https://example.com/",
        "mailto:someone@example.com",
    ):
        assert normalise_link(href, "/") is None, href
    assert normalise_link("?edit=action-1#actions", "/accounts/4/plan/") == (
        "/accounts/4/plan/?edit=action-1"
    )
