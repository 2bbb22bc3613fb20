"""The profile's "N sections not updated" line stands above the blocks edited in place: a save
or a removal in place sends it again, swapped out of band, counted over the whole profile; a
save without JavaScript reloads the page, which shows the same count."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from discovery import services
from discovery.models import Competitor, FinancialRatio
from tests.common.in_place import block_only, htmx

from .factories import CompetitorFactory, FinancialRatioFactory, ProfileSectionFactory

STALE_LINE = re.compile(r'<span id="profile-stale"( data-hx-swap-oob="true")?>(.*?)</span>', re.S)


def _stale_line(html):
    found = STALE_LINE.search(html)
    assert found, "the page (or the answer) carries the stale line"
    return found


def _plant(account):
    """Three sections not updated for over a year, one fresh; the key ratios stale (their
    latest update is old); one fresh competitor: 3 sections + the ratios block = 4 stale."""
    old = timezone.now() - timedelta(days=services.STALE_AFTER_DAYS + 5)
    sections = {
        key: ProfileSectionFactory(key_account=account, key=key, updated_at=old)
        for key in ("needs", "capability", "value_chain")
    }
    ProfileSectionFactory(key_account=account, key="customer_market", updated_at=timezone.now())
    FinancialRatioFactory(key_account=account, name="Current ratio", year=2020)
    FinancialRatio.objects.filter(key_account=account).update(updated_at=old)  # auto_now
    CompetitorFactory(key_account=account, name="Packwell")
    return sections


def _profile(client, account):
    return client.get(reverse("discovery:profile", args=[account.pk])).content.decode()


def test_a_section_saved_in_place_redraws_the_stale_count(client_for, people, account):
    sections = _plant(account)
    client = client_for(people.manager)
    assert "4 sections not updated for over 365 days." in _stale_line(_profile(client, account))[2]

    url = reverse("discovery:section_edit", args=[account.pk, "needs"])
    data = {"content": "Shorter lead times", "revision": sections["needs"].revision}
    html = client.post(url, data, headers=htmx("needs")).content.decode()
    block_only(html, "needs")
    line = _stale_line(html)
    # "needs" is fresh now: capability, value chain and the ratios block remain, 3.
    assert line[1] and "3 sections not updated for over 365 days." in line[2]
    assert html.index('id="needs"') < html.index('id="profile-stale"')  # the block comes first


def test_a_ratio_added_or_a_competitor_removed_in_place_redraws_the_count(
    client_for, people, account
):
    _plant(account)
    client = client_for(people.manager)
    # A new ratio makes the ratios block fresh (its latest update counts): 3 sections left.
    url = reverse("discovery:ratio_create", args=[account.pk])
    data = {"name": "Quick ratio", "value": "1.2", "year": "2025"}
    html = client.post(url, data, headers=htmx("ratios")).content.decode()
    block_only(html, "ratios")
    assert "3 sections not updated" in _stale_line(html)[2]
    # The only competitor was fresh: its removal leaves an empty block, not stale: still 3.
    competitor = Competitor.objects.get(key_account=account)
    url = reverse("discovery:competitor_delete", args=[account.pk, competitor.pk])
    html = client.post(url, headers=htmx("competitors")).content.decode()
    block_only(html, "competitors")
    assert "3 sections not updated" in _stale_line(html)[2]


def test_the_line_is_emptied_in_place_when_nothing_is_stale_any_more(client_for, people, account):
    old = timezone.now() - timedelta(days=services.STALE_AFTER_DAYS + 5)
    section = ProfileSectionFactory(key_account=account, key="needs", updated_at=old)
    client = client_for(people.manager)
    assert "1 section not updated for over 365 days." in _profile(client, account)
    url = reverse("discovery:section_edit", args=[account.pk, "needs"])
    data = {"content": "Shorter lead times", "revision": section.revision}
    html = client.post(url, data, headers=htmx("needs")).content.decode()
    line = _stale_line(html)
    assert line[1] and line[2] == ""  # swapped for an empty line: the old count goes away


def test_an_editor_opened_or_refused_does_not_send_the_line(client_for, people, account):
    _plant(account)
    client = client_for(people.manager)
    url = reverse("discovery:section_edit", args=[account.pk, "needs"])
    assert "profile-stale" not in client.get(url, headers=htmx("needs")).content.decode()
    stale_revision = {"content": "Shorter lead times", "revision": 0}
    response = client.post(url, stale_revision, headers=htmx("needs"))
    assert response.status_code == 409 and "profile-stale" not in response.content.decode()


def test_without_javascript_the_page_after_the_save_shows_the_new_count(
    client_for, people, account
):
    sections = _plant(account)
    client = client_for(people.manager)
    url = reverse("discovery:section_edit", args=[account.pk, "capability"])
    data = {"content": "Two plants can deliver", "revision": sections["capability"].revision}
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0].endswith("#capability")
    line = _stale_line(response.content.decode())
    assert not line[1] and "3 sections not updated for over 365 days." in line[2]
