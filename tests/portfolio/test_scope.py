"""Who sees which accounts on the dashboard (the permission matrix checks status codes)."""

from django.urls import reverse

from tests.html_checks import page_problems

URL = reverse("portfolio:dashboard")


def _names(response):
    return {row.name for row in response.context["page"].object_list}


def test_director_sees_only_the_accounts_they_direct(client_for, people, portfolio):
    response = client_for(people.director).get(URL)
    assert response.status_code == 200
    assert _names(response) == {
        "Northwind Foods",
        "Baltic Marine",
        "Castello Hotels",
        "Dover Tools",
    }
    page = response.content.decode()
    assert "Helios Retail" not in page
    assert "Otto" not in page  # nor the other director's name in the filter
    assert page_problems(page) == []


def test_executive_sees_every_active_account(client_for, people, portfolio):
    response = client_for(people.executive).get(URL)
    assert _names(response) == {
        "Northwind Foods",
        "Baltic Marine",
        "Castello Hotels",
        "Dover Tools",
        "Helios Retail",
    }


def test_deselected_accounts_are_left_out(client_for, people, portfolio):
    portfolio.dover.status = "deselected"
    portfolio.dover.deselection_reason = "Price only."
    portfolio.dover.save()
    response = client_for(people.director).get(URL)
    assert "Dover Tools" not in _names(response)


def test_manager_programme_admin_and_outsider_are_refused(client_for, people, portfolio):
    for user in (people.manager, people.coordinator, people.programme_admin, people.outsider):
        assert client_for(user).get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 302


def test_a_director_filtering_by_another_director_sees_nothing(client_for, people, portfolio):
    client = client_for(people.director)
    response = client.get(URL, {"director": people.other_director.pk})
    assert _names(response) == set()
    assert response.context["pipeline"]["totals"]["grand_total"] == 0
    assert "No key accounts match." in response.content.decode()
    csv = client.get(reverse("portfolio:health_csv"), {"director": people.other_director.pk})
    assert csv.content.decode("utf-8-sig").strip().count("\n") == 0  # the header only


def test_menu_dashboard_leads_directors_and_executives_to_the_portfolio(client, people, portfolio):
    client.force_login(people.director)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(people.executive)
    assert f'href="{URL}"' in client.get(reverse("accounts:account_list")).content.decode()
    client.force_login(people.manager)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{URL}"' not in page
    assert '<a class="nav-link active" href="/" aria-current="page">Dashboard</a>' in page


def test_cached_figures_are_reused_but_never_across_scopes(
    client_for, people, account, other_account, settings, django_assert_max_num_queries
):
    """With the cache on, a second view of the same scope skips the heavy aggregates, and a
    director never sees figures cached for another scope (the executive's)."""
    from django.core.cache import cache

    from accounts.models import Membership

    cache.clear()
    settings.PORTFOLIO_CACHE_SECONDS = 60
    executive = client_for(people.executive)
    first_html = executive.get("/portfolio/").content.decode()
    assert "Helios Retail" in first_html and "Figures may be up to 60 seconds old." in first_html
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cold:
        cache.clear()
        executive.get("/portfolio/")
    with CaptureQueriesContext(connection) as warm:
        executive.get("/portfolio/")
    assert len(warm) < len(cold)

    assert Membership.objects.filter(user=people.director, role="director").exists()
    html = client_for(people.director).get("/portfolio/").content.decode()
    assert "Northwind Foods" in html
    assert "Helios Retail" not in html
    cache.clear()


def test_figures_cached_by_other_code_are_not_reused(
    client_for, people, account, settings, monkeypatch
):
    """A deploy: the same scope and day, but the code that computed the cached aggregates is
    not the code now running — they are computed again (common.cache.code_digest)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portfolio.selectors import base

    cache.clear()
    settings.PORTFOLIO_CACHE_SECONDS = 60
    executive = client_for(people.executive)
    monkeypatch.setattr(base, "code_digest", lambda: "before-the-deploy")
    with CaptureQueriesContext(connection) as cold:
        executive.get("/portfolio/")
    with CaptureQueriesContext(connection) as warm:
        executive.get("/portfolio/")
    monkeypatch.setattr(base, "code_digest", lambda: "after-the-deploy")
    with CaptureQueriesContext(connection) as after:
        executive.get("/portfolio/")
    cache.clear()
    assert len(warm) < len(cold)
    assert len(after) == len(cold)
