"""Refused and missing pages explain themselves inside the site, with a way back (Django's
bare '403 Forbidden' page had neither)."""

from django.test import RequestFactory
from django.urls import reverse


def test_a_refused_page_says_why_and_leads_home(client_for, people, account):
    response = client_for(people.team_member).get(reverse("strategy:customer_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your role does not allow this." in html
    assert 'aria-label="Main"' in html  # the site's menu is there
    assert f'href="{reverse("home")}"' in html


def test_a_missing_page_keeps_the_menu_and_leads_home(client_for, people, account, other_account):
    response = client_for(people.manager).get(
        reverse("accounts:account_detail", args=[other_account.pk])
    )
    assert response.status_code == 404
    html = response.content.decode()
    assert "Not found" in html and 'aria-label="Main"' in html
    assert "Helios Retail" not in html  # nothing about the hidden account leaks


def test_a_server_error_page_is_plain_and_leads_home():
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/accounts/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
