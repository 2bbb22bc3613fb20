"""API pages in the benchmarks: the person's token, made the way a person makes one."""

import re

NEW_TOKEN = re.compile(r'id="new-token" type="text" readonly value="([^"]+)"')
TOKENS_PAGE = "/settings/api-tokens/"
CREATE_PATH = "/settings/api-tokens/new/"


def token_from_page(html: str) -> str:
    """The new token shown once on the API tokens page after making it ("" if absent)."""
    found = NEW_TOKEN.search(html)
    return found.group(1) if found else ""


def token_for(user) -> str:
    """In-process (query budgets): a read-only token for `user`, through the app's service."""
    from datetime import timedelta

    from django.utils import timezone

    from api.services import api_token_create

    made = api_token_create(
        user=user,
        name="Benchmark",
        scope="read",
        expires_on=timezone.localdate() + timedelta(days=1),
    )
    return made.secret
