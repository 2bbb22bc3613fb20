"""Counting a user's steps in a real browser.

A journey drives Playwright's page only through `Steps`, which counts each interaction as the
flow benchmark defines one: a click, a typed field, a select, a key press or a typed URL. The
count is what a new user spends; waiting for a page or reading it costs nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Debian's chromium as the journeys launch it (headless, nothing fetched in the background).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class Steps:
    """A page and the interactions spent on it so far, each with a short label."""

    page: object
    base_url: str = ""
    log: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.log)

    def _spend(self, kind: str, what: str) -> None:
        self.log.append(f"{kind}: {what}")

    def goto(self, path: str):
        """A typed URL (or a bookmark) counts one."""
        self._spend("url", path)
        return self.page.goto(self.base_url + path if path.startswith("/") else path)

    def click(self, locator, what: str = ""):
        self._spend("click", what or str(locator))
        locator.click()

    def fill(self, locator, text: str, what: str = ""):
        """Typing a field counts one, however long the text."""
        self._spend("type", what or str(locator))
        locator.fill(text)

    def select(self, locator, value=None, *, label=None, what: str = ""):
        self._spend("select", what or str(locator))
        if label is not None:
            locator.select_option(label=label)
        else:
            locator.select_option(value)

    def check(self, locator, what: str = ""):
        """Ticking a box is a click."""
        self._spend("click", what or str(locator))
        locator.check()

    def press(self, locator, key: str, what: str = ""):
        self._spend("key", what or key)
        locator.press(key)

    def login(self, username: str, password: str) -> None:
        """The login page: two typed fields, then a click (plus the URL: 4 interactions)."""
        self.goto("/")  # redirects to the login page
        self.fill(self.page.get_by_label("Username"), username, "username")
        self.fill(self.page.get_by_label("Password"), password, "password")
        self.click(self.page.get_by_role("button", name="Log in"), "Log in")
