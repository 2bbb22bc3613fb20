"""The top menu: labels never break mid-label ('Key' above 'accounts'), and on a common
1280 px laptop screen the whole menu is one row for every role that works in accounts, with
unread notifications counted and a stage's item marked as the current page."""

import pytest

from notifications.services import notify
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK_ROWS = """() => [...document.querySelectorAll('nav.navbar .nav-link')].map(a => {
  // The rows the visible text takes (a screen reader's hidden " unread" is not on screen).
  // A row is a run of text pieces whose tops lie within 8 px (the badge's smaller text sits a
  // little lower on the same row; a second row starts a line height further down).
  const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
  const tops = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || node.parentElement.closest('.visually-hidden')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) tops.push(r.top);
  }
  tops.sort((x, y) => x - y);
  const rows = tops.filter((top, i) => i === 0 || top - tops[i - 1] > 8).length;
  const label = a.textContent.trim().replace(/\\s+/g, ' ');
  return [label, rows, Math.round(a.getBoundingClientRect().top)];
})"""


@pytest.mark.parametrize(
    ("role", "language"),
    [
        ("manager", "en"),
        ("director", "en"),
        ("coordinator", "en"),
        ("director", "fr"),
        ("coordinator", "fr"),
    ],
)
def test_menu_labels_stay_whole_and_fit_one_row_at_1280(page, people, account, role, language):
    page.set_extra_http_headers({"Accept-Language": language})
    user = getattr(people, role)
    # A two-digit unread count: the badge widens the menu as it does on a busy Monday.
    for number in range(12):
        notify(user=user, text=f"Something to read {number}", email=False)
    page.goto("/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/")
    for width, path in ((1000, "/accounts/"), (1280, "/accounts/"), (1280, "/opportunities/")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(path)
        links = page.evaluate(LINK_ROWS)
        assert [label for label, rows, _top in links if rows > 1] == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 1280:
            assert len({top for _label, _rows, top in links}) == 1, (path, links)
