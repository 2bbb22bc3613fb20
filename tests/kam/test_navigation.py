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


LAYOUT_TEXTS_EN = {
    "Skip to content": "Aller au contenu",
    "Show navigation": "Afficher la navigation",
    "My reminders": "Mes rappels",
    "Log out": "Se déconnecter",
    "KAM Programme — select, discover, find joint value, plan, deliver.": (
        "KAM Programme — sélectionner, découvrir, trouver la valeur commune, planifier, exécuter."
    ),
}


def test_the_layouts_texts_are_translated_once_per_language(
    client_for, people, account, monkeypatch
):
    """base.html's own texts (skip link, menu, footer) come translated with the menu, which is
    built once per process and language: a second page looks none of them up again, and French
    gets its own."""
    from django.utils import translation

    client = client_for(people.manager)
    first = client.get(reverse("strategy:strategy")).content.decode()

    looked_up = []
    for name in ("gettext", "pgettext"):
        real = getattr(translation._trans, name)
        monkeypatch.setattr(
            translation._trans, name, lambda *a, real=real: looked_up.append(a[-1]) or real(*a)
        )
    again = client.get(reverse("strategy:strategy")).content.decode()
    assert current(again) == ["Strategy"] and menu_links(again) == menu_links(first)
    assert looked_up  # the page's own texts are still translated on every view
    assert not set(looked_up) & {*LAYOUT_TEXTS_EN, "Main", "Programme team", "API tokens"}
    assert all(english in again for english in LAYOUT_TEXTS_EN)

    french = client.get(reverse("strategy:strategy"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert set(looked_up) & set(LAYOUT_TEXTS_EN)  # built once for French
    for english, text in LAYOUT_TEXTS_EN.items():
        assert english not in french and text in french
    assert 'aria-label="Principale"' in french and 'aria-label="Main"' in again
