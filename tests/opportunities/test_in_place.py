"""An opportunity's own forms are edited in place (tests/opportunities/in_place_cases.py) or
kept on a page of their own, with the reason."""

import re

from opportunities import urls as opportunity_urls

from .in_place_cases import CASES

# The opportunity's forms still drawn as a page of their own, with the reason.
FULL_PAGE_FORMS = {
    # A new opportunity is followed by its own page (scores, decision, stakeholders), where the
    # save leads; the form (fifteen fields with the scoring guide) would not fit in the list,
    # and a new row changes most of the account's page (list, matrix, quick wins, counts).
    "opportunities:opportunity_create": "a new opportunity opens on its own page after the save",
}


def test_every_opportunity_form_is_edited_in_place_or_says_why():
    forms = {
        f"opportunities:{pattern.name}"
        for pattern in opportunity_urls.urlpatterns
        if re.fullmatch(r"opportunity_(create|edit|decide)", pattern.name or "")
    }
    assert forms, "the opportunity's forms were not found in the URL conf"
    missing = forms - {case.name for case in CASES} - set(FULL_PAGE_FORMS)
    assert not missing, f"opportunity forms neither edited in place nor explained: {missing}"
