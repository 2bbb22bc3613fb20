"""Selection scores travel with the customer CSV: one `score: <criterion> (<axis>)` column per
active criterion in the export, read back by the import (1-5 or empty; bad cells reported per
row, the other rows kept), and the imported customers re-scored.

Scores and classes are recomputed by hand here from domain.md's formula."""

import csv
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Customer, Programme
from strategy.models import CriterionScore
from strategy.services import customers_rescore_all
from tests.factories import CriterionFactory, CustomerFactory

PLANTED = {
    # reference: (name, {criterion: score})
    "C-1": ("Alpha Foods", {"Potential spend": 5, "Growth": 2, "Share of wallet": 4}),
    "C-2": ("Beta Retail", {"Potential spend": 1, "Growth": 3, "Share of wallet": 2}),
    "C-3": ("Gamma Hotels", {"Potential spend": 4}),  # strength unscored: no class
}
WEIGHTS = {"Potential spend": 3, "Growth": 1, "Share of wallet": 2}
AXES = {
    "Potential spend": "attractiveness",
    "Growth": "attractiveness",
    "Share of wallet": "strength",
}


def _axis(scores: dict, axis: str) -> Decimal | None:
    pairs = [(WEIGHTS[n], s) for n, s in scores.items() if AXES[n] == axis]
    if not pairs:
        return None
    value = Decimal(sum(w * (s - 1) for w, s in pairs) * 100) / Decimal(
        4 * sum(w for w, _ in pairs)
    )
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _class(a, s) -> str:
    if a is None or s is None:
        return ""
    return {
        (True, True): "strategic",
        (True, False): "star",
        (False, True): "status",
        (False, False): "streamline",
    }[(a >= 50, s >= 50)]


@pytest.fixture
def admin(client_for, people):
    return client_for(people.programme_admin)


@pytest.fixture
def criteria(db):
    programme = Programme.ensure()
    made = {
        name: CriterionFactory(programme=programme, name=name, axis=AXES[name], weight=w)
        for name, w in WEIGHTS.items()
    }
    made["Old criterion"] = CriterionFactory(
        programme=programme, name="Old criterion", archived_at=timezone.now()
    )
    return made


def _plant(criteria):
    for reference, (name, scores) in PLANTED.items():
        customer = CustomerFactory(reference=reference, name=name)
        for criterion, score in scores.items():
            customer.scores.create(criterion=criteria[criterion], score=score)
        customer.scores.create(criterion=criteria["Old criterion"], score=1)
    customers_rescore_all(programme=Programme.current())


def _table(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _upload(client, data: bytes, name="customers.csv"):
    return client.post(
        reverse("strategy:customer_import"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def _confirm(client, **extra):
    token = client.session["accounts_customer_import"]["token"]
    return client.post(
        reverse("strategy:customer_import_confirm"), {"token": token, **extra}, follow=True
    )


def test_the_export_has_one_score_column_per_active_criterion(admin, criteria):
    _plant(criteria)
    response = admin.get(reverse("strategy:customer_export"))
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[7:10] == [
        "score: Potential spend (attractiveness)",
        "score: Growth (attractiveness)",
        "score: Share of wallet (strength)",
    ]
    assert not any("Old criterion" in title for title in header)
    rows = {row["reference"]: row for row in _table(response)}
    for reference, (_, scores) in PLANTED.items():
        for name in WEIGHTS:
            column = f"score: {name} ({AXES[name]})"
            assert rows[reference][column] == str(scores.get(name, "")), (reference, name)


def test_export_then_import_into_an_empty_list_restores_scores_and_classes(admin, criteria):
    _plant(criteria)
    exported = admin.get(reverse("strategy:customer_export")).content
    Customer.objects.all().delete()  # the scores go with them
    assert not CriterionScore.objects.exists()

    preview = _upload(admin, exported, name="export.csv")
    assert preview.context["stored"]["score_columns"] == [
        "score: Potential spend (attractiveness)",
        "score: Growth (attractiveness)",
        "score: Share of wallet (strength)",
    ]
    page = _confirm(admin).content.decode()
    # All three get axis scores; Gamma has no strength score, so it stays without a class.
    assert (
        "Imported export.csv: 3 new, 0 updated, 0 unchanged. Selection scores changed for 3 "
        "customers; 3 customers re-scored, 2 changed class: Alpha Foods (Not classified → "
        "Strategic), Beta Retail (Not classified → Streamline)." in page
    )
    for reference, (name, scores) in PLANTED.items():
        customer = Customer.objects.get(reference=reference)
        stored = dict(customer.scores.values_list("criterion__name", "score"))
        assert stored == scores, name
        a, s = _axis(scores, "attractiveness"), _axis(scores, "strength")
        assert (customer.attractiveness_score, customer.strength_score) == (a, s), name
        assert customer.classification == _class(a, s), name
    # By hand: Alpha's attractiveness (3·4 + 1·1) / (4·4) = 81.25, strength 75 -> strategic.
    assert Customer.objects.get(reference="C-1").attractiveness_score == Decimal("81.25")
    assert Customer.objects.get(reference="C-1").classification == "strategic"

    # The round trip is exact: the same file comes out again (archived criteria are not in it).
    again = admin.get(reverse("strategy:customer_export")).content
    assert again == exported


def test_bad_score_cells_are_reported_per_row_and_the_other_rows_kept(admin, criteria):
    header = (
        "reference,name,score: Potential spend (attractiveness),score: Growth (attractiveness),"
        "Score: Share of wallet (Strength)\n"
    )
    response = _upload(
        admin,
        (
            header + "C-1,Alpha Foods,5,2,4\n"  # line 2: fine
            "C-2,Beta Retail,7,,\n"  # line 3: outside the scale
            "C-3,Gamma Hotels,x,2.5,\n"  # line 4: two bad cells
            "C-4,Delta Ltd,4.0,,1\n"  # line 5: fine (4.0 is a whole number)
        ).encode(),
    )
    bad = {line: reason for line, _, reason in response.context["bad_rows"]}
    assert bad == {
        3: "score: Potential spend (attractiveness): '7' is outside the scale of 1 to 5",
        4: "score: Potential spend (attractiveness): 'x' is not a whole number from 1 to 5; "
        "score: Growth (attractiveness): '2.5' is not a whole number from 1 to 5",
    }
    page = response.content.decode()
    assert "&#x27;7&#x27; is outside the scale of 1 to 5" in page
    _confirm(admin, skip_bad="1")
    assert set(Customer.objects.values_list("reference", flat=True)) == {"C-1", "C-4"}
    delta = Customer.objects.get(reference="C-4")
    assert dict(delta.scores.values_list("criterion__name", "score")) == {
        "Potential spend": 4,
        "Share of wallet": 1,
    }
    # (3·3) / (3·4) = 75.00 attractiveness, 0 strength: star.
    assert (delta.attractiveness_score, delta.strength_score, delta.classification) == (
        Decimal("75.00"),
        Decimal("0.00"),
        "star",
    )


def test_a_reimport_changes_and_clears_scores_and_leaves_absent_criteria_alone(admin, criteria):
    _plant(criteria)
    # Beta: spend 1 -> 5, growth cleared; the file has no strength column.
    data = (
        b"reference,name,score: Potential spend (attractiveness),score: Growth (attractiveness)\n"
        b"C-2,Beta Retail,5,\n"
    )
    _upload(admin, data)
    page = _confirm(admin).content.decode()
    beta = Customer.objects.get(reference="C-2")
    scores = dict(beta.scores.values_list("criterion__name", "score"))
    assert scores == {"Potential spend": 5, "Share of wallet": 2, "Old criterion": 1}
    a = _axis({"Potential spend": 5}, "attractiveness")
    s = _axis({"Share of wallet": 2}, "strength")
    assert (a, s) == (Decimal("100.00"), Decimal("25.00"))
    assert (beta.attractiveness_score, beta.strength_score) == (a, s)
    assert beta.classification == _class(a, s) == "star"
    assert (
        "0 new, 1 updated, 0 unchanged. Selection scores changed for 1 customer; 1 customer "
        "re-scored, 1 changed class: Beta Retail (Streamline → Star)." in page
    )
    # The customer page says why the class moved.
    detail = admin.get(reverse("strategy:customer_detail", args=[beta.pk])).content.decode()
    assert "Streamline → Star<br>Re-scored: scores imported from customers.csv" in detail


def test_a_criterion_archived_after_the_preview_stops_the_import(admin, criteria):
    _upload(admin, b"reference,name,score: Growth (attractiveness)\nC-9,Zeta Foods,4\n")
    criteria["Growth"].archived_at = timezone.now()
    criteria["Growth"].save()
    page = _confirm(admin).content.decode()
    assert "The selection criteria changed since the file was checked. Upload it again." in page
    assert not Customer.objects.filter(reference="C-9").exists()


def test_a_score_column_naming_no_active_criterion_is_said_apart(admin, criteria):
    """An export made before a criterion was renamed or archived: its column matched nothing
    and was listed among 'Ignored columns' with the computed ones, so the scores it holds were
    dropped without a word that they were scores."""
    text = (
        "reference,name,score: Old growth (attractiveness),classification\nC-1,Northwind,4,star\n"
    )
    response = admin.post(
        reverse("strategy:customer_import"),
        {"file": SimpleUploadedFile("old.csv", text.encode())},
    )
    stored = response.context["stored"]
    assert stored["unknown_score_columns"] == ["score: old growth (attractiveness)"]
    assert stored["ignored_columns"] == ["classification"]
    body = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))
    assert (
        "Not read: score: old growth (attractiveness) names no active selection criterion "
        "(renamed or archived since the file was made?). Its scores stay as they are; title "
        "the column as on the criteria page to import them" in body
    )
