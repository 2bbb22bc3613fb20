"""A change of weights, axes, archived criteria or matrix thresholds re-scores every customer
at once, through the pages a programme admin uses, and the history says why.

Each test plants criteria and scores, makes the change with a POST, recomputes every
customer's axis scores and class by hand from domain.md's formula, and reads the customer
list, the matrix and the customer page."""

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from accounts.models import Customer, Programme
from strategy.models import SelectionCriterion
from strategy.services import customers_rescore_all
from tests.factories import CriterionFactory, CustomerFactory, KeyAccountFactory

LABELS = {"strategic": "Strategic", "star": "Star", "status": "Status", "streamline": "Streamline"}


def _axis(pairs) -> Decimal | None:
    """Σ weight·(score−1)/4 ÷ Σ weight × 100 over the scored criteria, two decimals half up."""
    scored = [(w, s) for w, s in pairs if s is not None]
    if not scored:
        return None
    value = Fraction(sum(w * (s - 1) for w, s in scored), 4 * sum(w for w, _ in scored)) * 100
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )


def _expected(customer_scores: dict[str, int], criteria: dict[str, dict], programme) -> tuple:
    """(attractiveness, strength, class) of one customer from the planted scores."""
    axes = {}
    for axis in ("attractiveness", "strength"):
        axes[axis] = _axis(
            (c["weight"], customer_scores.get(name))
            for name, c in criteria.items()
            if c["axis"] == axis and not c.get("archived")
        )
    a, s = axes["attractiveness"], axes["strength"]
    if a is None or s is None:
        return a, s, ""
    high_a = a >= programme.attractiveness_threshold
    high_s = s >= programme.strength_threshold
    cls = {
        (True, True): "strategic",
        (True, False): "star",
        (False, True): "status",
        (False, False): "streamline",
    }[(high_a, high_s)]
    return a, s, cls


CRITERIA = {
    "Potential spend": {"axis": "attractiveness", "weight": 3},
    "Growth potential": {"axis": "attractiveness", "weight": 1},
    "Share of wallet": {"axis": "strength", "weight": 1},
    "Access to decision makers": {"axis": "strength", "weight": 1},
}
SCORES = {
    "Alpha Foods": {
        "Potential spend": 5,
        "Growth potential": 1,
        "Share of wallet": 4,
        "Access to decision makers": 2,
    },
    "Beta Retail": {
        "Potential spend": 2,
        "Growth potential": 5,
        "Share of wallet": 1,
        "Access to decision makers": 3,
    },
    "Gamma Hotels": {"Potential spend": 3, "Growth potential": 4, "Share of wallet": 5},
}


@pytest.fixture
def planted(people):
    programme = Programme.ensure()
    criteria = {
        name: CriterionFactory(programme=programme, name=name, **spec)
        for name, spec in CRITERIA.items()
    }
    customers = {}
    for name, scores in SCORES.items():
        customers[name] = customer = CustomerFactory(name=name)
        for criterion_name, score in scores.items():
            customer.scores.create(criterion=criteria[criterion_name], score=score)
    KeyAccountFactory(customer=customers["Beta Retail"], classification="streamline")
    customers_rescore_all(programme=programme)
    spec = {name: dict(c) for name, c in CRITERIA.items()}
    return programme, criteria, customers, spec


def _row(html: str, name: str) -> str:
    return next(row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if f">{name}</a>" in row)


def _check_everyone(client, programme, customers, spec) -> dict:
    """Every customer's stored scores, list row, matrix mark and detail page match the hand
    computation; returns name -> expected class."""
    programme.refresh_from_db()
    listing = client.get(reverse("strategy:customer_list")).content.decode()
    matrix = client.get(reverse("strategy:matrix")).content.decode()
    classes = {}
    for name, customer in customers.items():
        a, s, cls = _expected(SCORES[name], spec, programme)
        customer.refresh_from_db()
        assert (customer.attractiveness_score, customer.strength_score) == (a, s), name
        assert customer.classification == cls, name
        row = _row(listing, name)
        for label, value in (("Attractiveness", a), ("Strength", s)):
            shown = "—" if value is None else value
            assert f'<td class="text-end" data-label="{label}">{shown}</td>' in row, row
        assert f">{LABELS.get(cls, 'Not classified')}</span>" in row, (name, cls, row)
        mark = f"<title>{name}: attractiveness {a}, strength {s},"
        assert (mark in matrix) == (cls != ""), name
        classes[name] = cls
    return classes


def _edit(client, criterion: SelectionCriterion, **changes):
    data = {
        "axis": criterion.axis,
        "name": criterion.name,
        "description": "",
        "weight": criterion.weight,
        "scale_1": criterion.scale_1,
        "scale_3": criterion.scale_3,
        "scale_5": criterion.scale_5,
        **changes,
    }
    return client.post(reverse("strategy:criterion_edit", args=[criterion.pk]), data, follow=True)


def test_a_new_weight_rescores_every_customer_at_once(client_for, people, planted):
    programme, criteria, customers, spec = planted
    admin = client_for(people.programme_admin)
    before = _check_everyone(admin, programme, customers, spec)
    # By hand: Beta's attractiveness is (3·1 + 1·4) / (4·4) = 43.75 (streamline) before.
    assert customers["Beta Retail"].attractiveness_score == Decimal("43.75")

    response = _edit(admin, criteria["Potential spend"], weight=1)
    spec["Potential spend"]["weight"] = 1
    after = _check_everyone(admin, programme, customers, spec)
    # (1·1 + 1·4) / (2·4) = 62.50: Beta is now attractive.
    assert customers["Beta Retail"].attractiveness_score == Decimal("62.50")
    changed = [n for n in customers if before[n] != after[n]]
    assert changed == ["Beta Retail"]
    # Every customer's attractiveness moved (Alpha 75.00 → 50.00, Gamma 56.25 → 62.50).
    page = response.content.decode()
    assert (
        "Criterion saved; 3 customers re-scored, 1 changed class: Beta Retail "
        "(Streamline → Star)." in page
    )

    # The programme history says what the weight change did.
    history = admin.get(reverse("audit:programme_history")).content.decode()
    assert (
        "Weight of &#x27;Potential spend&#x27; 3 → 1: 3 customers re-scored, 1 changed class"
        in (history)
    )
    # The customer page and the key account's history say why the class moved.
    detail = admin.get(
        reverse("strategy:customer_detail", args=[customers["Beta Retail"].pk])
    ).content.decode()
    assert "Streamline → Star<br>Re-scored: weight of &#x27;Potential spend&#x27; 3 → 1" in detail
    director_history = client_for(people.programme_admin).get(
        reverse("audit:account_history", args=[customers["Beta Retail"].key_account.pk])
    )
    assert "Re-scored: weight of &#x27;Potential spend&#x27; 3 → 1" in (
        director_history.content.decode()
    )


def test_moving_a_criterion_to_the_other_axis_rescores_both_axes(client_for, people, planted):
    programme, criteria, customers, spec = planted
    admin = client_for(people.programme_admin)
    response = _edit(admin, criteria["Growth potential"], axis="strength")
    spec["Growth potential"]["axis"] = "strength"
    classes = _check_everyone(admin, programme, customers, spec)
    # By hand for Alpha: attractiveness 3·4/(3·4) = 100; strength (3 + 1 + 0)/(3·4) = 33.33.
    assert (
        customers["Alpha Foods"].attractiveness_score,
        customers["Alpha Foods"].strength_score,
    ) == (Decimal("100.00"), Decimal("33.33"))
    assert classes["Alpha Foods"] == "star"
    assert "Alpha Foods (Strategic → Star)" in response.content.decode()
    history = admin.get(reverse("audit:programme_history")).content.decode()
    assert (
        "&#x27;Growth potential&#x27; moved from Account attractiveness to Our business "
        "strength" in history
    )


def test_archiving_and_restoring_a_criterion_rescores(client_for, people, planted):
    programme, criteria, customers, spec = planted
    admin = client_for(people.programme_admin)
    url = reverse("strategy:criterion_archive", args=[criteria["Share of wallet"].pk])
    response = admin.post(url, {"archived": "1"}, follow=True)
    spec["Share of wallet"]["archived"] = True
    classes = _check_everyone(admin, programme, customers, spec)
    # Gamma scored strength only on the archived criterion: no strength, no class.
    assert customers["Gamma Hotels"].strength_score is None
    assert classes["Gamma Hotels"] == ""
    assert "Gamma Hotels (Strategic → Not classified)" in response.content.decode()
    history = admin.get(reverse("audit:programme_history")).content.decode()
    assert "&#x27;Share of wallet&#x27; archived: 3 customers re-scored" in history

    admin.post(url, {"archived": "0"})
    spec["Share of wallet"]["archived"] = False
    classes = _check_everyone(admin, programme, customers, spec)
    assert classes["Gamma Hotels"] == "strategic"


def test_new_thresholds_reclassify_every_customer_at_once(client_for, people, planted):
    programme, criteria, customers, spec = planted
    admin = client_for(people.programme_admin)
    response = admin.post(
        reverse("strategy:matrix_settings"),
        {
            "attractiveness_threshold": "80",
            "strength_threshold": "50",
            "key_account_limit_percent": "20",
        },
        follow=True,
    )
    classes = _check_everyone(admin, programme, customers, spec)
    # Alpha's attractiveness 75.00 is now below 80: Status; Gamma's 56.25 too: Status.
    assert classes == {
        "Alpha Foods": "status",
        "Beta Retail": "streamline",
        "Gamma Hotels": "status",
    }
    page = response.content.decode()
    assert "Matrix settings saved; 2 customers re-scored, 2 changed class:" in page
    history = admin.get(reverse("audit:programme_history")).content.decode()
    assert "Attractiveness split 50 → 80: 2 customers re-scored, 2 changed class" in history


def test_changing_only_the_wording_rescores_nobody(client_for, people, planted):
    programme, criteria, customers, spec = planted
    admin = client_for(people.programme_admin)
    response = _edit(admin, criteria["Potential spend"], name="Potential spend with us")
    assert "Criterion saved; no customer&#x27;s scores changed." in response.content.decode()
    assert Customer.history.filter(history_change_reason__contains="Re-scored").count() == 0


def _hidden(html: str) -> dict:
    return dict(
        re.findall(r'<input type="hidden" name="(revision|scored_class)" value="([^"]*)"', html)
    )


def test_a_selection_decided_on_a_class_that_new_splits_moved_is_not_applied(
    client_for, people, planted, account
):
    """Two browsers: the director opens Alpha's selection page (its scores say Strategic,
    which the form starts with); the programme admin raises the attractiveness split; the
    director's selection must not go through on the class the scores no longer give."""
    programme, criteria, customers, spec = planted
    alpha = customers["Alpha Foods"]
    director, admin = client_for(people.director), client_for(people.programme_admin)
    url = reverse("strategy:customer_select", args=[alpha.pk])
    page = director.get(url).content.decode()
    # By hand: attractiveness (3·4 + 1·0) / (4·4) = 75.00, strength (1·3 + 1·1) / (2·4) = 50.00
    # (on the split: high): Strategic.
    assert "class from scores: Strategic." in page
    shown = _hidden(page)
    assert shown["scored_class"] == "strategic"
    admin.post(
        reverse("strategy:matrix_settings"),
        {"attractiveness_threshold": "80", "strength_threshold": "50",
         "key_account_limit_percent": "20", "revision": programme.revision},
    )  # fmt: skip
    alpha.refresh_from_db()
    assert alpha.classification == "status"  # 75.00 < 80
    decision = {
        **shown,
        "classification": "strategic",
        "rationale": "Big and growing.",
        "director": people.director.pk,
        "manager": people.manager.pk,
    }
    response = director.post(url, decision)
    assert response.status_code == 409
    answer = response.content.decode()
    theirs = re.search(r'<dl class="mb-0 conflict-theirs">(.*?)</dl>', answer, re.S).group(1)
    yours = re.search(r'<dl class="mb-0 conflict-yours">(.*?)</dl>', answer, re.S).group(1)
    assert "<dt>Class from the scores</dt><dd>Status</dd>" in theirs  # saved now
    assert "<dt>Class from the scores</dt><dd>Strategic</dd>" in yours  # what the page showed
    assert not hasattr(Customer.objects.get(pk=alpha.pk), "key_account")
    # Opened again, the page says what the scores give now, and the decision goes through.
    again = director.get(url).content.decode()
    assert "class from scores: Status." in again
    response = director.post(url, {**decision, **_hidden(again), "classification": "status"})
    assert response.status_code == 302
    assert Customer.objects.get(pk=alpha.pk).key_account.classification == "status"


def test_a_reclassification_decided_on_a_class_that_new_weights_moved_is_not_applied(
    client_for, people, planted
):
    """The re-classify page says where the scores place the account; a weight changed in
    another browser moves that: the decision taken on the old advice is refused."""
    programme, criteria, customers, spec = planted
    beta = customers["Beta Retail"]
    account = beta.key_account
    admin, other_admin = client_for(people.programme_admin), client_for(people.programme_admin)
    url = reverse("strategy:account_reclassify", args=[account.pk])
    page = admin.get(url).content.decode()
    # By hand: (3·1 + 1·4) / (4·4) = 43.75 and (1·0 + 1·2) / (2·4) = 25.00: Streamline.
    assert "The scores place it in <strong>Streamline</strong>." in page
    shown = _hidden(page)
    assert shown["scored_class"] == "streamline"
    _edit(other_admin, criteria["Potential spend"], weight=1)  # (1·1 + 1·4) / 8 = 62.50: Star
    response = admin.post(
        url, {**shown, "classification": "status", "reason": "Loyal, steady volumes."}
    )
    assert response.status_code == 409
    answer = response.content.decode()
    theirs = re.search(r'<dl class="mb-0 conflict-theirs">(.*?)</dl>', answer, re.S).group(1)
    yours = re.search(r'<dl class="mb-0 conflict-yours">(.*?)</dl>', answer, re.S).group(1)
    # Only the class from the scores differs (the account itself did not move).
    assert theirs.split() == ["<dt>Class", "from", "the", "scores</dt><dd>Star</dd>"]
    assert yours.split() == ["<dt>Class", "from", "the", "scores</dt><dd>Streamline</dd>"]
    account.refresh_from_db()
    assert account.classification == "streamline"
    again = admin.get(url).content.decode()
    assert "The scores place it in <strong>Star</strong>." in again
    response = admin.post(url, {**_hidden(again), "classification": "star", "reason": "Scores."})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.classification == "star"
