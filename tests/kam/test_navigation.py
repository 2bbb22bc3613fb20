"""The top menu marks where the user is."""

import re

import pytest
from django.urls import reverse


def current(html: str) -> list[str]:
    """The labels marked current in the top menu (the page's first <nav>, before any tabs)."""
    menu = html.split("</nav>", 1)[0]
    return re.findall(r'<a class="nav-link active"[^>]*aria-current="page">([^<]+)</a>', menu)


@pytest.mark.parametrize(
    "url_name", ["accounts:account_list", "accounts:account_detail"], ids=["list", "detail"]
)
def test_key_account_pages_mark_key_accounts_not_strategy(client_for, people, account, url_name):
    args = [account.pk] if url_name.endswith("detail") else []
    html = client_for(people.manager).get(reverse(url_name, args=args)).content.decode()
    assert current(html) == ["Key accounts"]


def test_strategy_pages_still_mark_strategy(client_for, people, account):
    html = client_for(people.manager).get(reverse("strategy:strategy")).content.decode()
    assert current(html) == ["Strategy"]


def test_notifications_page_marks_notifications_not_delivery(client_for, people, account):
    html = client_for(people.manager).get(reverse("notifications:index")).content.decode()
    assert current(html) == ["Notifications"]


@pytest.mark.parametrize("url_name", ["organisation:index", "organisation:job_specs"])
def test_programme_team_pages_mark_programme_team(client_for, people, account, url_name):
    html = client_for(people.manager).get(reverse(url_name)).content.decode()
    assert current(html) == ["Programme team"]
