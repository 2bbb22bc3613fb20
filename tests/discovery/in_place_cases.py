"""The discovery forms edited in place (issue #19), for tests/common/test_in_place_editors.py:
stakeholders (with reports-to), interviews and their ideas, the account profile's sections,
key ratios and competitors, the profitability years and the lifetime value assumptions."""

from django.urls import reverse

from common.limits import LONG_TEXT_MAX_CHARS
from discovery.models import (
    Competitor,
    FinancialRatio,
    Interview,
    LifetimeValueAssumption,
    ProfileSection,
    ProfitabilityYear,
    Stakeholder,
)
from tests.common.in_place import Case, yesterday
from tests.factories import InterviewFactory, ProfitabilityYearFactory, StakeholderFactory

from .factories import CompetitorFactory, FinancialRatioFactory


def stakeholder_data(**changes):
    data = {
        "name": "Nora Blum",
        "title": "Head of procurement",
        "department": "",
        "email": "",
        "buying_role": "buyer",
        "influence": "high",
        "attitude": "supporter",
        "owner": "",
        "last_contact_on": "",
        "reports_to": "",
        "notes": "",
    }
    return {**data, **changes}


def interview_data(people, **changes):
    data = {
        "held_on": yesterday(),
        "interviewer": people.manager.pk,
        "notes": "",
        "needs_learned": "Faster delivery to the Hamburg plant",
        "validated": "",
        "contradicted": "",
    }
    return {**data, **changes}


def stakeholders_url(account):
    return reverse("discovery:stakeholders", args=[account.pk])


def _profile_url(account):
    return reverse("discovery:profile", args=[account.pk])


def _make_stakeholder_add(account, people):
    StakeholderFactory(key_account=account, name="Anna Berger")
    url = reverse("discovery:stakeholder_create", args=[account.pk])
    return url, None, stakeholders_url(account)


def _make_stakeholder_edit(account, people):
    boss = StakeholderFactory(key_account=account, name="Anna Berger")
    person = StakeholderFactory(key_account=account, name="Jens Albrecht", buying_role="buyer")
    person.boss = boss
    url = reverse("discovery:stakeholder_edit", args=[account.pk, person.pk])
    return url, person, stakeholders_url(account)


def _make_interview_add(account, people):
    url = reverse("discovery:interview_create", args=[account.pk])
    return url, None, reverse("discovery:interviews", args=[account.pk])


def _make_interview_edit(account, people):
    interview = InterviewFactory(key_account=account, interviewer=people.manager)
    url = reverse("discovery:interview_edit", args=[account.pk, interview.pk])
    return url, interview, reverse("discovery:interview_detail", args=[account.pk, interview.pk])


def _make_idea_add(account, people):
    interview = InterviewFactory(key_account=account, interviewer=people.manager)
    url = reverse("discovery:idea_add", args=[account.pk, interview.pk])
    return url, None, reverse("discovery:interview_detail", args=[account.pk, interview.pk])


def _make_section_edit(account, people):
    url = reverse("discovery:section_edit", args=[account.pk, "needs"])
    return url, None, _profile_url(account)


def _make_ratio_add(account, people):
    return reverse("discovery:ratio_create", args=[account.pk]), None, _profile_url(account)


def _make_ratio_edit(account, people):
    ratio = FinancialRatioFactory(key_account=account, name="Current ratio", value=1, year=2025)
    url = reverse("discovery:ratio_edit", args=[account.pk, ratio.pk])
    return url, ratio, _profile_url(account)


def _make_competitor_add(account, people):
    return reverse("discovery:competitor_create", args=[account.pk]), None, _profile_url(account)


def _make_competitor_edit(account, people):
    competitor = CompetitorFactory(key_account=account, name="Rival GmbH")
    url = reverse("discovery:competitor_edit", args=[account.pk, competitor.pk])
    return url, competitor, _profile_url(account)


def profitability_url(account):
    return reverse("discovery:profitability", args=[account.pk])


def year_data(**changes):
    """Gross margin 1,000,000 − 650,000 = 350,000; cost to serve 50,000 + 20,000 + 30,000 +
    10,000 + 15,000 + 25,000 + 5,000 = 155,000; net account profit 195,000."""
    data = {
        "year": "2025",
        "gross_sales": "1000000",
        "cost_of_goods": "650000",
        "discounts": "50000",
        "rebates": "20000",
        "transport": "30000",
        "returns": "10000",
        "customer_service": "15000",
        "kam_team_cost": "25000",
        "other_costs": "5000",
    }
    return {**data, **changes}


def _make_year_add(account, people):
    ProfitabilityYearFactory(key_account=account, year=2024)
    url = reverse("discovery:year_create", args=[account.pk])
    return url, None, profitability_url(account)


def _make_year_edit(account, people):
    row = ProfitabilityYearFactory(key_account=account, year=2024)
    url = reverse("discovery:year_edit", args=[account.pk, row.pk])
    return url, row, profitability_url(account)


def _make_lifetime_value_edit(account, people):
    ProfitabilityYearFactory(key_account=account, year=2025, gross_sales=100000)
    assumption = LifetimeValueAssumption.objects.create(
        key_account=account, growth_rate_percent=10, discount_rate_percent=10, horizon_years=3
    )
    url = reverse("discovery:lifetime_value_edit", args=[account.pk])
    return url, assumption, profitability_url(account)


def _assumptions(**changes):
    data = {
        "base_profit": "",
        "growth_rate_percent": "3.75",
        "discount_rate_percent": "10",
        "horizon_years": "3",
    }
    return {**data, **changes}


def _section_saved_first(case, obj, *, client_for, people, url, data):
    """The section had no row yet: another person saves it first, at revision 0."""
    client_for(people.director).post(url, {**data, "content": "Their needs"})


def _ratio(**changes):
    return {"name": "EBITDA margin %", "value": "12.50", "year": "2025", **changes}


def _competitor(**changes):
    return {"name": "Nordwind AG", "offering": "Packaging", "strength": "high", **changes} | {
        "threat_level": changes.get("threat_level", "medium")
    }


CASES = [
    Case(
        "discovery:stakeholder_create",
        "stakeholder-list",
        _make_stakeholder_add,
        valid=lambda people, obj: stakeholder_data(),
        shown="Nora Blum",
        invalid=lambda people, obj: stakeholder_data(name="", notes="Met at the trade fair"),
        typed="Met at the trade fair",
        first_field="name",
        announce="Nora Blum saved.",
    ),
    Case(
        "discovery:stakeholder_edit",
        "stakeholder-list",
        _make_stakeholder_edit,
        # "Edit" opens in the stakeholder's row, and a save answers with that row alone.
        row=lambda obj: f"stakeholder-{obj.pk}",
        # The row alone, the links read once (finding 48); the list drawn again before.
        round_trip_queries=14,
        # Reports-to is set in place too.
        valid=lambda people, obj: stakeholder_data(
            name="Jens Albrecht-Kühn", reports_to=obj.boss.pk, revision=obj.revision
        ),
        shown="Jens Albrecht-Kühn",
        invalid=lambda people, obj: stakeholder_data(
            name="Jens Albrecht",
            last_contact_on="2999-01-01",
            notes="Prefers calls",
            revision=obj.revision,
        ),  # fmt: skip
        typed="Prefers calls",
        first_field="name",
        model=Stakeholder,
        announce="Jens Albrecht-Kühn saved.",
    ),
    Case(
        "discovery:interview_create",
        "interview-list",
        _make_interview_add,
        valid=lambda people, obj: interview_data(people),
        shown="Faster delivery to the Hamburg plant",
        invalid=lambda people, obj: interview_data(people, held_on="", notes="Asked about SLAs"),
        typed="Asked about SLAs",
        first_field="held_on",
    ),
    Case(
        "discovery:interview_edit",
        "interview-record",
        _make_interview_edit,
        valid=lambda people, obj: interview_data(
            people, held_on=obj.held_on.isoformat(), revision=obj.revision
        ),
        shown="Faster delivery to the Hamburg plant",
        invalid=lambda people, obj: interview_data(
            people, interviewer="", contradicted="Not a price buyer", revision=obj.revision
        ),
        typed="Not a price buyer",
        first_field="held_on",
        model=Interview,
        # 19 before the interviewer was read once (bench/README.md, finding 49).
        round_trip_queries=16,
    ),
    Case(
        "discovery:idea_add",
        "interview-ideas",
        _make_idea_add,
        valid=lambda people, obj: {"idea-title": "Vendor-managed inventory"},
        shown="Vendor-managed inventory",
        invalid=lambda people, obj: {"idea-title": "", "idea-description": "Their stock piles up"},
        typed="Their stock piles up",
        first_field="idea-title",
        announce="Idea “Vendor-managed inventory” added.",
        opens_by_get=False,
    ),
    Case(
        "discovery:section_edit",
        "needs",
        _make_section_edit,
        valid=lambda people, obj: {"content": "Shorter lead times", "revision": 0},
        shown="Shorter lead times",
        invalid=lambda people, obj: {
            "content": "Shorter lead times " + "x" * LONG_TEXT_MAX_CHARS,
            "revision": 0,
        },
        typed="Shorter lead times",
        first_field="content",
        model=ProfileSection,
        other_writer=_section_saved_first,
        announce="Needs saved.",
    ),
    Case(
        "discovery:ratio_create",
        "ratios",
        _make_ratio_add,
        valid=lambda people, obj: _ratio(),
        shown="EBITDA margin %",
        invalid=lambda people, obj: _ratio(value="lots"),
        typed="EBITDA margin %",
        first_field="name",
        announce="Financial ratio saved.",
    ),
    Case(
        "discovery:ratio_edit",
        "ratios",
        _make_ratio_edit,
        valid=lambda people, obj: _ratio(name="Quick ratio", revision=obj.revision),
        shown="Quick ratio",
        invalid=lambda people, obj: _ratio(name="Quick ratio", value="", revision=obj.revision),
        typed="Quick ratio",
        first_field="name",
        model=FinancialRatio,
    ),
    Case(
        "discovery:competitor_create",
        "competitors",
        _make_competitor_add,
        valid=lambda people, obj: _competitor(),
        shown="Nordwind AG",
        invalid=lambda people, obj: _competitor(name="", offering="Corrugated boxes"),
        typed="Corrugated boxes",
        first_field="name",
        announce="Competitor saved.",
    ),
    Case(
        "discovery:competitor_edit",
        "competitors",
        _make_competitor_edit,
        valid=lambda people, obj: _competitor(name="Rival Holding", revision=obj.revision),
        shown="Rival Holding",
        invalid=lambda people, obj: _competitor(
            name="Rival Holding", strength="huge", revision=obj.revision
        ),
        typed="Rival Holding",
        first_field="name",
        model=Competitor,
    ),
    Case(
        "discovery:year_create",
        "profitability-years",
        _make_year_add,
        valid=lambda people, obj: year_data(),
        shown="EUR 195,000",  # the net account profit of year_data
        invalid=lambda people, obj: year_data(gross_sales="-5", transport="31234"),
        typed="31234",
        first_field="year",
        announce="Profitability for 2025 saved.",
    ),
    Case(
        "discovery:year_edit",
        "profitability-years",
        _make_year_edit,
        # A year recorded under the wrong year is moved (no other line shows 2023).
        valid=lambda people, obj: year_data(year="2023", revision=obj.revision),
        shown="2023",
        invalid=lambda people, obj: year_data(
            year="2024", returns="-1", rebates="20777", revision=obj.revision
        ),
        typed="20777",
        first_field="year",
        model=ProfitabilityYear,
        announce="Profitability for 2023 saved.",
        # The table, the chart and the lifetime value answered; 23 before the service's
        # second look at the amounts, the year and the account went (bench/README.md, 56).
        round_trip_queries=18,
    ),
    Case(
        "discovery:lifetime_value_edit",
        "clv",
        _make_lifetime_value_edit,
        valid=lambda people, obj: _assumptions(revision=obj.revision),
        shown="3.75",
        invalid=lambda people, obj: _assumptions(
            base_profit="123456", discount_rate_percent="150", revision=obj.revision
        ),
        typed="123456",
        first_field="base_profit",
        model=LifetimeValueAssumption,
        announce="Lifetime value assumptions saved.",
    ),
]
