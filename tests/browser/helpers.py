"""Steps the browser tests share."""

from tests.factories import PASSWORD


def log_in(page, user, *, width: int | None = None, height: int = 844) -> None:
    """Sign in through the log-in page as a person does (at `width` px when given) and wait until
    the browser has left it for the page it lands on; a refused log-in stays and times out."""
    if width is not None:
        page.set_viewport_size({"width": width, "height": height})
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def wait_until(page, script: str, expected, timeout_ms: int = 5000):
    """The value of the JavaScript expression `script` once it equals `expected`, polled every
    50 ms (focus moves once a swapped block has settled, a moment after its text is in the
    page); the last value read when `timeout_ms` has passed."""
    waited = 0
    while True:
        value = page.evaluate(script)
        if value == expected or waited >= timeout_ms:
            return value
        page.wait_for_timeout(50)
        waited += 50


def focused_name(page, expected: str) -> str:
    """The name of the field that has the focus, once it is `expected`."""
    return wait_until(page, "document.activeElement && document.activeElement.name", expected)
