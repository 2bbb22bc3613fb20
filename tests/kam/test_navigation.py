"""The top menu marks where the user is."""

import re

import pytest
from django.urls import reverse, set_script_prefix


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


def menu_links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html.split("<header>", 1)[1].split("</nav>", 1)[0])


def test_the_menu_is_reversed_once_and_follows_the_script_prefix_and_language(
    client_for, people, account, monkeypatch
):
    """The menu's addresses and labels are worked out once per process (per URLconf, script
    prefix and language), not on every page; a second prefix or language gets its own."""
    from kam import context_processors

    client = client_for(people.manager)
    first = client.get(reverse("strategy:strategy")).content.decode()
    assert reverse("rhythm:digest_settings") in menu_links(first)

    calls = []
    real_reverse = context_processors.reverse
    monkeypatch.setattr(
        context_processors, "reverse", lambda *a, **k: calls.append(a) or real_reverse(*a, **k)
    )
    again = client.get(reverse("strategy:strategy")).content.decode()
    assert calls == [] and menu_links(again) == menu_links(first)

    # The WSGI handler sets the prefix from SCRIPT_NAME; the test client does not.
    path = reverse("strategy:strategy")
    set_script_prefix("/kam/")
    try:
        behind_prefix = client.get(path).content.decode()
    finally:
        set_script_prefix("/")
    assert current(behind_prefix) == ["Strategy"]
    links = menu_links(behind_prefix)
    assert "/kam" + reverse("accounts:user_settings") in links
    assert all(link.startswith("/kam/") for link in links)
    assert calls  # built once for the new prefix

    french = client.get(reverse("strategy:strategy"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert current(french) == ["Stratégie"] and ">Mes rappels<" in french
    assert menu_links(french) == menu_links(first)
    english = client.get(reverse("strategy:strategy")).content.decode()
    assert current(english) == ["Strategy"] and ">My reminders<" in english
