"""The top menu: labels never break mid-label ('Key' above 'accounts'), and on a common
1280 px laptop screen the whole menu is one row."""

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK_ROWS = """() => [...document.querySelectorAll('nav.navbar .nav-link')].map(a => {
  const range = document.createRange();
  range.selectNodeContents(a);
  const rows = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  const label = a.textContent.trim().replace(/\\s+/g, ' ');
  return [label, rows.size, Math.round(a.getBoundingClientRect().top)];
})"""


def test_menu_labels_stay_whole_and_fit_one_row_at_1280(page, people, account):
    page.goto("/login/")
    page.get_by_label("Username").fill(people.manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for width in (1000, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/accounts/")
        links = page.evaluate(LINK_ROWS)
        assert [label for label, rows, _top in links if rows > 1] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 1280:
            assert len({top for _label, _rows, top in links}) == 1
