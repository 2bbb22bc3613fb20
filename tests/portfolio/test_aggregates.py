"""The dashboard's numbers against the hand-counted portfolio in conftest.py."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from discovery.services import lifetime_value

URL = reverse("portfolio:dashboard")


@pytest.fixture
def dana(client_for, people, portfolio):
    return client_for(people.director).get(URL).context


def test_health_buckets_are_counted(dana):
    counts = {b["key"]: b["count"] for b in dana["health_counts"]}
    assert counts == {"good": 1, "fair": 1, "poor": 1, "no_plan": 1}
    scores = {row.name: row.health_score for row in dana["page"]}
    assert scores == {
        "Northwind Foods": 80,
        "Baltic Marine": 55,
        "Castello Hotels": 10,
        "Dover Tools": None,
    }


def test_table_row_shows_plan_facts(dana):
    northwind = next(r for r in dana["page"] if r.name == "Northwind Foods")
    assert northwind.plan_status == "approved"
    assert northwind.last_approved_at is not None
    assert northwind.overdue_actions == 0
    assert northwind.cadence_kept == 50.0
    assert (northwind.on_track, northwind.at_risk, northwind.off_track) == (0, 0, 0)
    castello = next(r for r in dana["page"] if r.name == "Castello Hotels")
    assert castello.overdue_actions == 5
    assert castello.cadence_kept is None


def test_pipeline_sums(dana):
    p = dana["pipeline"]
    assert p["totals"]["open_value"] == Decimal("230000")
    assert p["totals"]["grand_total"] == Decimal("380000")
    assert (p["won"].count, p["won"].total) == (1, Decimal("100000"))
    assert (p["lost"].count, p["lost"].total) == (1, Decimal("50000"))
    assert p["win_rate"] == 50
    assert p["quick_wins"] == {"delivered": 1, "delivered_value": Decimal("100000"), "open": 1}
    quarters = {q["label"]: (q["open"], q["won"]) for q in p["quarters"]}
    assert sum(v[0] for v in quarters.values()) == Decimal("230000")
    assert sum(v[1] for v in quarters.values()) == Decimal("100000")
    assert quarters["No date"] == (Decimal("30000"), Decimal("0"))


def test_the_pipelines_profit_potential_is_the_open_pipelines(client_for, people, portfolio):
    """Each of Dana's four opportunities carries the factory's 20,000 of profit potential: the
    pursuing and the idea are open (40,000); the won one is being delivered and the lost one
    promises nothing, so neither counts beside the open pipeline."""
    html = client_for(people.director).get(URL).content.decode()
    cards = re.sub(r"\s+", " ", html)
    assert 'EUR 230,000</p><p class="small mb-0">Open pipeline' in cards
    assert (
        '2 open opportunities</p><p class="small mb-0">Profit potential EUR 40,000 a year' in cards
    )
    assert "open pipeline EUR 230,000 a year, with a profit potential of EUR 40,000" in cards


def test_profit_concentration(dana):
    c = dana["performance"]["concentration"]
    assert c["total"] == Decimal("900000")
    shares = [(t["accounts"], t["share"]) for t in c["tops"]]
    # 600k, 300k, 100k, −100k: the top three earn more than the whole portfolio.
    assert shares == [
        (1, Decimal("66.7")),
        (3, Decimal("111.1")),
        (4, Decimal("100.0")),
        (1, Decimal("66.7")),
    ]


def test_performance_totals_and_targets(dana, portfolio):
    perf = dana["performance"]
    assert perf["year"] == portfolio.year
    t = perf["totals"]
    assert t["sales_now"] == Decimal("1900000")
    assert t["profit_now"] == Decimal("900000")
    assert t["profit_before"] == Decimal("500000")
    # The targets are due in 270 days: they cover that year, and Northwind's figures of that
    # year (only this year's are recorded) are what they are compared with.
    covered = (timezone.localdate() + timedelta(days=270)).year
    made = {"revenue": Decimal("1000000"), "profit": Decimal("600000")}
    if covered != portfolio.year:
        made = {"revenue": None, "profit": None}
    [revenue] = t["revenue_targets"]  # the % target is not a revenue target
    [profit] = t["profit_targets"]
    assert (revenue["year"], revenue["accounts"], revenue["target"]) == (
        covered,
        1,
        Decimal("1200000"),
    )
    assert (profit["year"], profit["target"]) == (covered, Decimal("700000"))
    assert revenue["reported"] == (0 if made["revenue"] is None else 1)
    northwind = perf["rows"][0]
    assert northwind.revenue_target_year == covered
    assert northwind.revenue_target_made == made["revenue"]
    assert northwind.name == "Northwind Foods"
    assert northwind.profit_change == Decimal("20.0")
    assert [r.revenue_target for r in perf["rows"][1:]] == [None, None, None]


def test_lifetime_value_ranking_matches_the_discovery_service(dana):
    ranking = dana["performance"]["lifetime_values"]
    assert [item["account"].name for item in ranking] == [
        "Northwind Foods",
        "Baltic Marine",
        "Castello Hotels",
        "Dover Tools",
    ]
    expected = lifetime_value(
        base_profit=Decimal("600000"),
        growth_rate_percent=Decimal("3"),
        discount_rate_percent=Decimal("8"),
        horizon_years=5,
    )
    assert ranking[0]["npv"] == expected.npv


def test_lifetime_value_ranking_leaves_out_an_account_without_a_base(client_for, people, portfolio):
    """No figures and no entered base: no value, so not ranked (and no error)."""
    from accounts.models import Role
    from tests.factories import KeyAccountFactory, MembershipFactory

    bare = KeyAccountFactory(customer__name="Erebus Shipping")
    MembershipFactory(user=people.director, key_account=bare, role=Role.DIRECTOR)
    context = client_for(people.director).get(URL).context
    ranking = context["performance"]["lifetime_values"]
    assert [item["account"].name for item in ranking] == [
        "Northwind Foods",
        "Baltic Marine",
        "Castello Hotels",
        "Dover Tools",
    ]


def test_class_by_stage_grid(dana):
    grid = dana["programme"]["grid"]
    cells = {row["value"]: row["cells"] for row in grid["rows"]}
    # stages: exploratory, basic, cooperative, interdependent, integrated
    assert cells == {
        "strategic": [0, 0, 0, 1, 0],
        "status": [0, 1, 0, 0, 0],
        "star": [0, 1, 0, 0, 0],
        "streamline": [0, 0, 1, 0, 0],
    }
    assert grid["total"] == 4


def test_manager_workload(dana, people):
    rows = dana["programme"]["workload"]["rows"]
    assert [(r["manager"], r["accounts"], r["open"], r["overdue"]) for r in rows] == [
        (people.manager, 3, 8, 5)  # Baltic's one open action, Castello's five overdue
    ]


def test_approvals_waiting_for_this_director(dana):
    approvals = dana["programme"]["approvals"]
    assert approvals["mine"] is True
    assert [p.key_account.name for p in approvals["plans"]] == ["Baltic Marine"]


def test_programme_key_accounts_against_the_limit(dana):
    programme = dana["programme"]
    assert programme["key_accounts"] == 5
    assert programme["customers"] == 5
    assert programme["limit"] == 1  # 20 % of 5 customers
    assert programme["over_limit"] is True


def test_matrix_plots_scored_accounts_with_a_ghost_for_a_class_change(dana):
    matrix = dana["matrix"]
    assert [p["account"].name for p in matrix["points"]][0] == "Northwind Foods"  # largest
    assert {p["bucket"] for p in matrix["points"]} == {"good", "fair", "poor", "no_plan"}
    assert len(matrix["ghosts"]) == 1
    ghost = matrix["ghosts"][0]
    assert ghost["point"]["account"].name == "Baltic Marine"
    streamline = next(q for q in matrix["quadrants"] if q["label"] == "Streamline")
    assert ghost["x"] == round(streamline["x"] + streamline["width"] / 2, 1)
    assert ghost["y"] == round(streamline["y"] + streamline["height"] / 2, 1)


def test_matrix_page_has_svg_title_desc_and_labels(client_for, people, portfolio):
    page = client_for(people.director).get(URL, {"bubble": "profit"}).content.decode()
    assert '<title id="pm-title">' in page and '<desc id="pm-desc">' in page
    assert f"Bubble size shows net profit in {portfolio.year}" in page
    assert "was Streamline until" in page
    assert "Dashed outline: a loss" in page


def test_matrix_says_how_many_smaller_accounts_are_left_out(
    client_for, people, portfolio, monkeypatch
):
    from portfolio.selectors import matrix

    monkeypatch.setattr(matrix, "MATRIX_LIMIT", 3)
    page = client_for(people.director).get(URL)
    assert len(page.context["matrix"]["points"]) == 3
    assert page.context["matrix"]["not_plotted"] == 1
    assert "+1 smaller account not plotted (the 3 largest are shown)" in page.content.decode()


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/New_York"])
def test_matrix_list_shows_a_class_change_on_its_local_day(
    client_for, people, portfolio, settings, zone
):
    """A class change at 23:30 UTC is the next day in Tokyo; at 03:30 UTC, the day before in
    New York. The list under the matrix shows the same local day as the mark's <title>."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from accounts.models import AccountEvent

    settings.TIME_ZONE = zone
    hour = 23 if zone == "Asia/Tokyo" else 3
    moment = (timezone.now() - timedelta(days=30)).astimezone(ZoneInfo("UTC"))
    moment = moment.replace(hour=hour, minute=30, second=0, microsecond=0)
    AccountEvent.objects.filter(
        key_account=portfolio.baltic, kind=AccountEvent.Kind.CLASS_CHANGED
    ).update(occurred_at=moment)
    local = moment.astimezone(ZoneInfo(zone)).date()
    assert local != moment.date()
    page = client_for(people.director).get(URL).content.decode()
    item = re.search(r"<li><a [^>]*>Baltic Marine</a>[^<]*</li>", page).group(0)
    expected = f"was Streamline until {local.day} {local:%b %Y}"
    assert item.endswith(f"; {expected}</li>")
    assert f"Baltic Marine {expected}</title>" in page


def test_one_won_and_one_lost_read_in_the_singular_in_french(client_for, people, portfolio):
    """Dana's accounts: one opportunity won, one lost (conftest.py)."""
    html = client_for(people.director).get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "1 gagnée ·" in text and "1 perdue ·" in text
    assert "1 gagnées" not in text and "1 perdues" not in text
    # The quarter chart's description too: "pipeline ouvert 0 €, gagné 100 000 €".
    assert "open pipeline" not in text and "pipeline ouvert" in text and "gagné" in text
    # Each bar's tooltip: "T1 2027, gagné : 100 000 €", a no-break space before the colon.
    assert re.search(r"<title>T\d \d{4}, gagné\u00a0: [\d\u00a0]+\u00a0€</title>", html)
    assert "gagné: " not in html
