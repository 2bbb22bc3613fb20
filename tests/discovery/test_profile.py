"""The desk-research profile: sections, staleness, concurrent edits, ratios and competitors."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from discovery import services
from discovery.models import Competitor, FinancialRatio, ProfileSection

from .factories import CompetitorFactory, FinancialRatioFactory, ProfileSectionFactory


def _edit_url(account, key="needs"):
    return reverse("discovery:section_edit", args=[account.pk, key])


def test_every_section_shows_when_and_by_whom_it_was_updated(client_for, people, account):
    ProfileSectionFactory(
        key_account=account, key="needs", content="Shelf-life extension", updated_by=people.manager
    )
    html = client_for(people.team_member).get(reverse("discovery:profile", args=[account.pk]))
    html = html.content.decode()
    assert "Shelf-life extension" in html
    assert "by Max Manager" in html
    assert (
        html.count("Not written yet") == len(ProfileSection.Key.values) - 1 + 2
    )  # + ratios, comp.


def test_sections_untouched_for_a_year_are_flagged_stale(client_for, people, account):
    old = timezone.now() - timedelta(days=services.STALE_AFTER_DAYS + 5)
    ProfileSectionFactory(key_account=account, key="needs", updated_at=old)
    ProfileSectionFactory(key_account=account, key="capability", updated_at=timezone.now())
    html = client_for(people.manager).get(reverse("discovery:profile", args=[account.pk]))
    html = html.content.decode()
    assert html.count("Stale: not updated for over a year") == 1
    assert "1 section not updated for over 365 days" in html


def test_stale_rule_boundary():
    today = timezone.localdate()
    assert services.is_stale(timezone.now() - timedelta(days=366), today)
    assert not services.is_stale(timezone.now() - timedelta(days=364), today)
    assert not services.is_stale(None, today)


def test_manager_saves_a_section_and_revision_moves_on(client_for, people, account):
    client = client_for(people.manager)
    response = client.post(_edit_url(account), {"content": "Lower cost to serve", "revision": 0})
    assert response.status_code == 302
    section = ProfileSection.objects.get(key_account=account, key="needs")
    assert (section.content, section.revision, section.updated_by) == (
        "Lower cost to serve",
        1,
        people.manager,
    )


def test_second_save_on_an_old_revision_gets_a_conflict_and_keeps_the_text(
    client_for, people, account
):
    ProfileSectionFactory(key_account=account, key="needs", content="Original", revision=1)
    # Both open revision 1; the director saves first.
    services.profile_section_save(
        account=account,
        key="needs",
        content="Director's version",
        expected_revision=1,
        acting_user=people.director,
    )
    response = client_for(people.manager).post(
        _edit_url(account), {"content": "Manager's version", "revision": 1}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this section" in html
    assert "Director&#x27;s version" in html and "Manager&#x27;s version" in html
    section = ProfileSection.objects.get(key_account=account, key="needs")
    assert section.content == "Director's version"
    # Saving again from the conflict page (it carries the new revision) replaces it knowingly.
    assert response.context["form"]["revision"].value() == 2
    response = client_for(people.manager).post(
        _edit_url(account), {"content": "Merged version", "revision": 2}
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.content == "Merged version" and section.revision == 3


def test_unknown_section_key_is_404(client_for, people, account):
    assert client_for(people.manager).get(_edit_url(account, "nonsense")).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "team_member", "executive"])
def test_read_only_roles_cannot_save_a_section(client_for, people, account, persona):
    response = client_for(getattr(people, persona)).post(
        _edit_url(account), {"content": "x", "revision": 0}
    )
    assert response.status_code == 403
    assert not ProfileSection.objects.filter(key_account=account).exists()


def test_read_only_roles_see_no_edit_buttons(client_for, people, account):
    html = client_for(people.coordinator).get(reverse("discovery:profile", args=[account.pk]))
    assert "Add a ratio" not in html.content.decode()
    html = client_for(people.manager).get(reverse("discovery:profile", args=[account.pk]))
    assert "Add a ratio" in html.content.decode()


def test_manager_adds_a_ratio_and_a_competitor(client_for, people, account):
    client = client_for(people.manager)
    response = client.post(
        reverse("discovery:ratio_create", args=[account.pk]),
        {"name": "Current ratio", "value": "1.40", "year": "2025"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("discovery:competitor_create", args=[account.pk]),
        {"name": "Packwell", "offering": "Trays", "strength": "high", "threat_level": "high"},
    )
    assert response.status_code == 302
    assert FinancialRatio.objects.get(key_account=account).updated_by == people.manager
    assert Competitor.objects.get(key_account=account).name == "Packwell"


def test_a_ratio_of_the_same_name_and_year_is_refused_with_what_was_typed(
    client_for, people, account
):
    """'Current ratio 2025' added twice showed two values of one ratio for one year (and two
    'Edit Current ratio 2025' buttons nobody could tell apart)."""
    FinancialRatioFactory(key_account=account, name="Current ratio", value="1.40", year=2025)
    client = client_for(people.manager)
    url = reverse("discovery:ratio_create", args=[account.pk])
    response = client.post(url, {"name": "current ratio", "value": "1.70", "year": "2025"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "current ratio for 2025 is already recorded; edit that one instead." in page
    assert 'value="1.70"' in page and 'value="current ratio"' in page
    assert FinancialRatio.objects.filter(key_account=account).count() == 1
    # Another year of the same ratio is a new row; so is editing a row in place.
    response = client.post(url, {"name": "Current ratio", "value": "1.55", "year": "2024"})
    assert response.status_code == 302
    ratio = FinancialRatio.objects.get(key_account=account, year=2025)
    response = client.post(
        reverse("discovery:ratio_edit", args=[account.pk, ratio.pk]),
        {"name": "Current ratio", "value": "1.45", "year": "2025", "revision": ratio.revision},
    )
    assert response.status_code == 302
    ratio.refresh_from_db()
    assert ratio.value == Decimal("1.45")
    # Moving the 2024 row onto 2025 is the same duplicate.
    older = FinancialRatio.objects.get(key_account=account, year=2024)
    response = client.post(
        reverse("discovery:ratio_edit", args=[account.pk, older.pk]),
        {"name": "Current ratio", "value": "1.55", "year": "2025", "revision": older.revision},
    )
    assert "Current ratio for 2025 is already recorded" in response.content.decode()


def test_a_competitor_listed_twice_is_refused(client_for, people, account):
    CompetitorFactory(key_account=account, name="Packwell")
    response = client_for(people.manager).post(
        reverse("discovery:competitor_create", args=[account.pk]),
        {"name": "PACKWELL", "offering": "Lids", "strength": "high", "threat_level": "low"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "PACKWELL is already listed; edit that competitor instead." in page
    assert 'value="Lids"' in page
    assert Competitor.objects.filter(key_account=account).count() == 1


def test_profile_page_costs_the_same_queries_at_two_sizes(
    client_for, people, account, django_assert_max_num_queries
):
    client = client_for(people.director)
    url = reverse("discovery:profile", args=[account.pk])

    def fill(n):
        for key in ProfileSection.Key.values:
            ProfileSection.objects.get_or_create(
                key_account=account,
                key=key,
                defaults={
                    "content": "x",
                    "updated_at": timezone.now(),
                    "updated_by": people.manager,
                },
            )
        for _ in range(n):
            FinancialRatioFactory(key_account=account, updated_by=people.manager)
            CompetitorFactory(key_account=account, updated_by=people.director)

    fill(2)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    fill(30)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200


def test_discovery_list_counts_stale_ratios_and_competitors_as_the_profile_page_does(
    client_for, people, account
):
    """The profile page counts the key ratios and the competitors as one block each when
    their latest update is over a year old; the Discovery list said "Up to date" beside it."""
    old = timezone.now() - timedelta(days=services.STALE_AFTER_DAYS + 5)
    ProfileSectionFactory(key_account=account, key="needs", updated_at=timezone.now())
    FinancialRatioFactory(key_account=account, name="Current ratio", year=2020)
    FinancialRatioFactory(key_account=account, name="Quick ratio", year=2020)
    CompetitorFactory(key_account=account, name="Packwell")
    # auto_now: only an update moves the dates back.
    FinancialRatio.objects.filter(key_account=account).update(updated_at=old)
    Competitor.objects.filter(key_account=account).update(updated_at=old)
    client = client_for(people.manager)

    def profile_and_list():
        profile = client.get(reverse("discovery:profile", args=[account.pk])).content.decode()
        listed = client.get(reverse("discovery:index")).content.decode()
        return profile, listed

    # Two blocks stale (ratios, competitors), the written section fresh: 2 on both pages.
    profile, listed = profile_and_list()
    assert "2 sections not updated for over 365 days" in profile
    assert "2 stale" in listed
    french = client.get(reverse("discovery:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "2 obsolètes" in french and "(s)" not in french
    # One fresh ratio makes the ratios block fresh (its latest update counts): 1 on both.
    FinancialRatioFactory(key_account=account, name="Current ratio", year=2025)
    profile, listed = profile_and_list()
    assert "1 section not updated for over 365 days" in profile
    assert "1 stale" in listed
    french = client.get(reverse("discovery:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1 obsolète<" in french
    # No competitors left: an empty block is not stale, and nothing is.
    Competitor.objects.filter(key_account=account).delete()
    profile, listed = profile_and_list()
    assert "not updated for over" not in profile
    assert "Up to date" in listed and " stale" not in listed


def test_ratios_write_a_negative_value_with_the_minus_sign_in_the_readers_format(
    client_for, people, account
):
    FinancialRatioFactory(key_account=account, name="Revenue growth %", value=Decimal("-2.50"))
    FinancialRatioFactory(key_account=account, name="Net debt", value=Decimal("12345.60"))
    client = client_for(people.manager)
    url = reverse("discovery:profile", args=[account.pk])
    english = client.get(url).content.decode()
    assert '<td class="text-end text-nowrap">−2.50</td>' in english
    assert '<td class="text-end text-nowrap">12,345.60</td>' in english
    assert "-2.50" not in english
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<td class="text-end text-nowrap">−2,50</td>' in french
    assert '<td class="text-end text-nowrap">12\u00a0345,60</td>' in french


def test_the_profile_names_the_customers_country_without_a_guessed_preposition(
    client_for, people, account
):
    customer = account.customer
    customer.sector, customer.country = "Food manufacturing", "DE"
    customer.save()
    url = reverse("discovery:profile", args=[account.pk])
    french = client_for(people.manager).get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # French cannot put "en" or "au" before any country name; it read "en/au Allemagne".
    assert "Recherche documentaire sur Food manufacturing (pays\u00a0: Allemagne)" in french
    assert "en/au" not in french
