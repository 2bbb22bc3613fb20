"""Strategy's forms on the criteria and customer pages are edited in place
(tests/strategy/in_place_cases.py) or kept on a page of their own, with the reason."""

from strategy import urls as strategy_urls

from .in_place_cases import CASES

# Strategy's forms still drawn as a page of their own, with the reason: none now.
FULL_PAGE_FORMS: dict[str, str] = {}


def test_every_criterion_and_score_form_is_edited_in_place_or_says_why():
    forms = {
        f"strategy:{pattern.name}"
        for pattern in strategy_urls.urlpatterns
        if pattern.name in ("criterion_add", "criterion_edit", "customer_score")
    }
    assert len(forms) == 3, "the criteria and score forms were not found in the URL conf"
    missing = forms - {case.name for case in CASES} - set(FULL_PAGE_FORMS)
    assert not missing, f"strategy forms neither edited in place nor explained: {missing}"
