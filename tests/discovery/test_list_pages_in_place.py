"""The stakeholder and interview lists' page links are part of their block: an add, archive or
restore in place changes how many pages there are, and the links stood outside the block, so
"Page 1 of 2" (or its absence) stayed as it was until reload. Each list holds 25 a page."""

import re

from django.urls import reverse
from django.utils import timezone

from discovery.models import Stakeholder
from tests.common.in_place import htmx
from tests.factories import InterviewFactory, StakeholderFactory

from .in_place_cases import interview_data, stakeholder_data, stakeholders_url


def _block_with_its_page_links(html, block):
    """The block alone (no page around it), its page links (a <nav>) inside it."""
    assert "<html" not in html and re.match(rf'\s*<section[^>]*id="{block}"', html)
    assert html.index('<nav aria-label="Pages">') < html.rindex("</section>")


def test_the_26th_stakeholder_added_in_place_brings_the_page_links(client_for, people, account):
    for n in range(25):
        StakeholderFactory(key_account=account, name=f"Person {n:02d}")
    client = client_for(people.manager)
    assert "Page 1 of" not in client.get(stakeholders_url(account)).content.decode()
    url = reverse("discovery:stakeholder_create", args=[account.pk])
    html = client.post(url, stakeholder_data(), headers=htmx("stakeholder-list")).content.decode()
    _block_with_its_page_links(html, "stakeholder-list")
    assert "26 active stakeholders." in html
    assert "Page 1 of 2" in html and 'href="?page=2"' in html


def test_a_restore_in_place_keeps_the_archived_lists_links(client_for, people, account):
    # 27 archived: a restore leaves 26, two pages of the archived list; its links keep
    # `archived=1`, the page's own query, not the restore's address.
    people_archived = [
        StakeholderFactory(key_account=account, name=f"Former {n:02d}") for n in range(27)
    ]
    Stakeholder.objects.filter(key_account=account).update(archived_at=timezone.now())
    url = reverse("discovery:stakeholder_restore", args=[account.pk, people_archived[0].pk])
    current = stakeholders_url(account) + "?archived=1"
    response = client_for(people.manager).post(url, headers=htmx("stakeholder-list", current))
    html = response.content.decode()
    assert "26 archived stakeholders." in html
    assert "Page 1 of 2" in html and 'href="?archived=1&amp;page=2"' in html


def test_the_26th_interview_recorded_in_place_brings_the_page_links(client_for, people, account):
    for _ in range(25):
        InterviewFactory(key_account=account, interviewer=people.manager)
    url = reverse("discovery:interview_create", args=[account.pk])
    data = interview_data(people)
    html = client_for(people.manager).post(url, data, headers=htmx("interview-list"))
    html = html.content.decode()
    _block_with_its_page_links(html, "interview-list")
    assert "Page 1 of 2" in html and 'href="?page=2"' in html


def test_a_full_page_keeps_its_query_in_the_links(client_for, people, account):
    for n in range(26):
        StakeholderFactory(key_account=account, name=f"Former {n:02d}")
    Stakeholder.objects.filter(key_account=account).update(archived_at=timezone.now())
    html = client_for(people.manager).get(stakeholders_url(account) + "?archived=1&page=2")
    html = html.content.decode()
    assert "Page 2 of 2" in html and 'href="?archived=1&amp;page=1"' in html
