"""In-place editing on the discovery pages (issue #19), beyond what every form edited in place
is tested for (tests/common/test_in_place_editors.py plays tests/discovery/in_place_cases.py):
"Save and add another", archive and restore in place, the list's page kept, an idea removed in
place, the interview's title redrawn, the lifetime value redrawn with the year it is based on,
read-only members without in-place links, and every
discovery form either edited in place or listed here with the reason."""

import re

from django.urls import reverse

from discovery import urls as discovery_urls
from discovery.models import (
    LifetimeValueAssumption,
    OpportunityIdea,
    ProfitabilityYear,
    Stakeholder,
)
from tests.common.in_place import block_only, field_tag, htmx
from tests.factories import InterviewFactory, ProfitabilityYearFactory, StakeholderFactory

from .in_place_cases import CASES, interview_data, stakeholder_data, stakeholders_url, year_data

# Discovery forms still drawn as a page of their own, with the reason.
FULL_PAGE_FORMS = {
    # The relationship page is this one form, always open at the top beside what it changes:
    # the stage, position and service level, the service warning and the history. A save
    # changes nearly every block of the page, so the redirect reloads little more than a
    # fragment would; errors and the edit conflict already show at the form, typed text kept.
    "discovery:relationship_update": "one always-open form whose save redraws the whole page",
}


def test_save_and_add_another_opens_an_empty_add_form(client_for, people, account):
    url = reverse("discovery:stakeholder_create", args=[account.pk])
    response = client_for(people.manager).post(
        url, {**stakeholder_data(), "another": "1"}, headers=htmx("stakeholder-list")
    )
    html = response.content.decode()
    assert "Nora Blum" in html and "Save and add another" in html
    assert 'name="name" value="Nora Blum"' not in html  # the form is empty again
    assert "autofocus" in field_tag(html, "name")


def test_archive_and_restore_answer_with_the_list(client_for, people, account):
    person = StakeholderFactory(key_account=account, name="Jens Albrecht")
    client = client_for(people.manager)
    archive = reverse("discovery:stakeholder_archive", args=[account.pk, person.pk])
    response = client.post(archive, headers=htmx("stakeholder-list"))
    html = response.content.decode()
    block_only(html, "stakeholder-list")
    assert "archived" in response["HX-Trigger"] and "Jens Albrecht" not in html.split("<tbody>")[1]
    restore = reverse("discovery:stakeholder_restore", args=[account.pk, person.pk])
    current = stakeholders_url(account) + "?archived=1"
    response = client.post(restore, headers=htmx("stakeholder-list", current))
    assert "is active again" in response["HX-Trigger"]
    assert "No archived stakeholders recorded yet." in response.content.decode()


def test_an_edited_row_on_another_page_of_the_list_opens_above_it(client_for, people, account):
    for n in range(26):
        StakeholderFactory(key_account=account, name=f"Person {n:02d}")
    last = Stakeholder.objects.get(name="Person 25")  # on page 2
    url = reverse("discovery:stakeholder_edit", args=[account.pk, last.pk])
    html = client_for(people.manager).get(url, headers=htmx("stakeholder-list")).content.decode()
    assert 'value="Person 25"' in html and html.index("<form") < html.index("<table")


def test_an_idea_removed_in_place(client_for, people, account):
    interview = InterviewFactory(key_account=account, interviewer=people.manager)
    idea = OpportunityIdea.objects.create(interview=interview, title="Shared forecast")
    url = reverse("discovery:idea_delete", args=[account.pk, interview.pk, idea.pk])
    response = client_for(people.manager).post(url, headers=htmx("interview-ideas"))
    block_only(response.content.decode(), "interview-ideas")
    assert "Shared forecast" in response["HX-Trigger"]
    assert not OpportunityIdea.objects.filter(pk=idea.pk).exists()


def test_an_interview_saved_in_place_also_redraws_the_page_title(client_for, people, account):
    interview = InterviewFactory(key_account=account, interviewer=people.manager)
    url = reverse("discovery:interview_edit", args=[account.pk, interview.pk])
    data = interview_data(people, held_on="2026-11-02", revision=interview.revision)
    html = client_for(people.manager).post(url, data, headers=htmx("interview-record"))
    assert 'id="interview-title" data-hx-swap-oob="true"' in html.content.decode()
    assert "interview of 2 Nov 2026" in html.content.decode()


def test_read_only_members_see_no_in_place_links(client_for, people, account):
    StakeholderFactory(key_account=account, name="Jens Albrecht")
    html = client_for(people.executive).get(stakeholders_url(account)).content.decode()
    assert "data-hx-get" not in html and "data-hx-target" not in html


def test_every_discovery_form_is_edited_in_place_or_says_why():
    forms = {
        f"discovery:{pattern.name}"
        for pattern in discovery_urls.urlpatterns
        if re.search(r"_(create|edit|add|update)$", pattern.name)
    }
    missing = forms - {case.name for case in CASES} - set(FULL_PAGE_FORMS)
    assert not missing, f"discovery forms neither edited in place nor explained: {missing}"


def test_a_year_saved_in_place_also_redraws_the_lifetime_value_it_is_the_base_of(
    client_for, people, account
):
    # Base 100,000 (the 2025 net profit), growth 10 %, discount 10 %, 3 years: every year's
    # present value is 90,909.09 (rounded to cents), NPV 272,727.27. Gross sales doubled to
    # 200,000 (no cost): each present value 181,818.18, NPV 3 × 181,818.18 = 545,454.54.
    row = ProfitabilityYearFactory(key_account=account, year=2025, gross_sales=100000)
    LifetimeValueAssumption.objects.create(
        key_account=account, growth_rate_percent=10, discount_rate_percent=10, horizon_years=3
    )
    url = reverse("discovery:year_edit", args=[account.pk, row.pk])
    data = year_data(
        **{name: "0" for name in year_data() if name not in ("year", "gross_sales")},
        year="2025",
        gross_sales="200000",
        revision=row.revision,
    )
    response = client_for(people.manager).post(url, data, headers=htmx("profitability-years"))
    html = response.content.decode()
    block_only(html, "profitability-years")
    years, clv = html.split('<section id="clv"')
    assert "EUR 200,000" in years and "Profitability for 2025 saved." in years
    assert 'data-hx-swap-oob="true"' in clv and "EUR 545,454.54" in clv
    assert "Profitability for 2025 saved." not in clv  # announced once, in the block saved


def test_a_year_removed_in_place_redraws_the_table_and_the_lifetime_value(
    client_for, people, account
):
    row = ProfitabilityYearFactory(key_account=account, year=2025, gross_sales=100000)
    url = reverse("discovery:year_delete", args=[account.pk, row.pk])
    response = client_for(people.manager).post(url, headers=htmx("profitability-years"))
    html = response.content.decode()
    block_only(html, "profitability-years")
    assert "Profitability for 2025 removed." in response["HX-Trigger"]
    assert "No profitability recorded yet." in html
    assert "Lifetime value needs a year-1 profit" in html.split('<section id="clv"')[1]
    assert not ProfitabilityYear.objects.filter(pk=row.pk).exists()
