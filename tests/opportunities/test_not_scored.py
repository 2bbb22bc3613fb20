"""An opportunity nobody has scored is "Not scored yet": no made-up priority or quadrant, off
the matrix (counted beside it), after the scored ones in every sort, scored later through the
normal form."""

import csv
import io
from decimal import Decimal

from django.urls import reverse

from accounts.models import AccountEvent
from opportunities import selectors, services
from opportunities.models import Opportunity
from tests.factories import InterviewFactory

from .factories import BusinessUnitFactory, OfferingFactory, OpportunityIdeaFactory
from .test_opportunity_form import form_data


def _convert(client, account, title="Shared demand forecast"):
    idea = OpportunityIdeaFactory(interview=InterviewFactory(key_account=account), title=title)
    client.post(reverse("opportunities:idea_convert", args=[idea.pk]))
    return Opportunity.objects.get(source_idea=idea)


def test_a_converted_idea_is_not_scored_and_says_so(client_for, people, account):
    client = client_for(people.manager)
    opportunity = _convert(client, account)
    assert opportunity.is_scored is False
    assert opportunity.priority is None and opportunity.quadrant == ""
    html = client.get(services.detail_url(opportunity)).content.decode()
    assert "Not scored yet" in html and "Score it now" in html
    assert "Drop without regret" not in html.split("<h1", 1)[1].split("How priority")[0]


def test_the_matrix_leaves_unscored_ones_out_and_counts_them(
    client_for, people, account, make_opportunity
):
    client = client_for(people.manager)
    make_opportunity(account, title="Scored pilot")
    _convert(client, account, "Idea one")
    _convert(client, account, "Idea two")
    matrix = selectors.account_matrix(account=account)
    assert [p["opportunity"].title for p in matrix["points"]] == ["Scored pilot"]
    assert matrix["not_scored"] == 2
    html = client.get(
        reverse("opportunities:account_opportunities", args=[account.pk])
    ).content.decode()
    figure = html.split("<figure", 1)[1].split("</figure>", 1)[0]
    assert "Scored pilot" in figure and "Idea one" not in figure
    assert "2 not scored yet" in figure and "?not_scored=1" in figure
    # In the list the two ideas show as not scored, with no quadrant of their own.
    table = html.split("All opportunities", 1)[1]
    assert table.count("Not scored yet</span>") == 2


def test_unscored_ones_sort_after_scored_ones_both_ways(
    client_for, people, account, make_opportunity
):
    client = client_for(people.manager)
    _convert(client, account, "Unscored idea")
    make_opportunity(account, title="Hard pick", effort=5, risk=5)
    make_opportunity(account, title="Easy pick", effort=1, risk=1)
    url = reverse("opportunities:account_opportunities", args=[account.pk])
    for sort, expected in (
        ("-priority", ["Easy pick", "Hard pick"]),
        ("priority", ["Hard pick", "Easy pick"]),
    ):
        filters = selectors.PipelineFilters(sort=sort)
        titles = [
            o.title
            for o in selectors.pipeline(user=people.manager, filters=filters, account=account)
        ]
        assert titles == [*expected, "Unscored idea"]
        html = client.get(url, {"sort": sort}).content.decode()
        table = html.split("All opportunities", 1)[1]
        assert table.index(expected[0]) < table.index(expected[1]) < table.index("Unscored idea")


def test_not_scored_filter_and_csv_cells_are_empty(client_for, people, account, make_opportunity):
    client = client_for(people.manager)
    _convert(client, account, "Unscored idea")
    make_opportunity(account, title="Scored pilot")
    url = reverse("opportunities:account_opportunities", args=[account.pk])
    html = client.get(url, {"not_scored": "1"}).content.decode()
    assert "Unscored idea" in html.split("All opportunities", 1)[1]
    assert "Scored pilot" not in html.split("All opportunities", 1)[1]
    response = client.get(reverse("opportunities:account_csv", args=[account.pk]))
    rows = {r[1]: r for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    unscored = rows["Unscored idea"]
    assert unscored[7:12] == ["", "", "", "", ""]
    assert unscored[12] == "Not scored yet"
    # Scored: 3, 3, 3, 3 with money score 1 -> V = 7/3, ER = 3 -> P = 7/3 x 3 x 4 = 28.00
    assert rows["Scored pilot"][11] == "28.00"


def test_scoring_later_through_the_form_gives_the_hand_computed_priority(
    client_for, people, account
):
    client = client_for(people.manager)
    opportunity = _convert(client, account)
    edit = reverse("opportunities:opportunity_edit", args=[account.pk, opportunity.pk])
    form_html = client.get(edit).content.decode()
    assert "Not scored yet." in form_html
    response = client.post(
        edit,
        form_data(
            title=opportunity.title,
            profit_potential="120000",
            strategic_value_us="4",
            strategic_value_customer="2",
            effort="2",
            risk="3",
            source="interview",
            status="idea",
            revision=str(opportunity.revision),
        ),
    )
    assert response.status_code == 302
    # money score 3 (100,000–249,999); V = (3 + 4 + 2) / 3 = 3, ER = (2 + 3) / 2 = 2.5
    # P = 3 x (6 - 2.5) x 4 = 42; V >= 3 and ER < 3 -> quick win.
    opportunity.refresh_from_db()
    assert opportunity.priority == Decimal("42.00")
    html = client.get(response.url).content.decode()
    assert "42.00" in html and "Quick win" in html and "Not scored yet" not in html
    assert AccountEvent.objects.filter(
        key_account=account, summary__startswith=f"Opportunity {opportunity.title} scored"
    ).exists()
    matrix = selectors.account_matrix(account=account)
    assert matrix["not_scored"] == 0 and len(matrix["points"]) == 1


def test_some_scores_without_the_others_are_refused(client_for, people, account):
    url = reverse("opportunities:opportunity_create", args=[account.pk])
    response = client_for(people.manager).post(
        url, form_data(strategic_value_customer="", effort="")
    )
    assert response.status_code == 200
    assert "Give all four scores" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_a_new_opportunity_may_be_left_unscored(client_for, people, account):
    url = reverse("opportunities:opportunity_create", args=[account.pk])
    blank = {name: "" for name in services.SCORE_FIELDS}
    response = client_for(people.manager).post(url, form_data(**blank))
    assert response.status_code == 302
    assert Opportunity.objects.get().priority is None


def test_a_white_space_opportunity_is_not_scored_either(people, account):
    unit = BusinessUnitFactory(key_account=account)
    result = services.white_space_cell_to_opportunity(
        unit=unit, offering=OfferingFactory(), acting_user=people.manager
    )
    assert result.opportunity.is_scored is False
    assert selectors.account_matrix(account=account)["not_scored"] == 1
