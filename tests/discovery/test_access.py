"""Discovery pages as each role meets them (the URL × role matrix is in tests/security)."""

from django.urls import reverse


def test_discovery_index_lists_only_visible_accounts(client_for, people, account, other_account):
    html = client_for(people.team_member).get(reverse("discovery:index")).content.decode()
    assert "Northwind Foods" in html and "Helios Retail" not in html
    html = client_for(people.executive).get(reverse("discovery:index")).content.decode()
    assert "Northwind Foods" in html and "Helios Retail" in html
    assert client_for(None).get(reverse("discovery:index")).status_code == 302
