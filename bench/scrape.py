"""What the load generators read from our HTML: the login form's CSRF token and the links to
accounts a user can see. Plain regular expressions: no JSON API is needed (or added) for this."""

import re

_CSRF = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
_ACCOUNT_LINK = re.compile(r'href="/accounts/(\d+)/"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    if match is None:
        raise ValueError("no csrfmiddlewaretoken in the page")
    return match.group(1)


def account_ids(html: str) -> list[int]:
    """Ids of the accounts linked from a page (e.g. the account list), first seen first."""
    seen: dict[int, None] = {}
    for match in _ACCOUNT_LINK.finditer(html):
        seen.setdefault(int(match.group(1)), None)
    return list(seen)
