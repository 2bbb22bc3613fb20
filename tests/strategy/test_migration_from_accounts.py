"""Stage 1's models moved from `accounts` to `strategy` in Django's record only: a database
that was at the old head (everything in accounts) migrates to the new head with its criteria,
scores, roadmap and their history where they were, and the content types (which admin
permissions point at) follow the models."""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Customer
from strategy.models import CriterionScore, RoadmapItem, SelectionCriterion

# Not yet applied when `plant` runs (tests/old_heads.py): accounts still held Stage 1, strategy
# did not exist.
MIGRATIONS_UNDER_TEST = [
    ("accounts", "0004_stage_one_moves_to_strategy"),
    ("strategy", "0001_initial"),
]


def plant(old) -> dict:
    """Rows written by the code of the old head, through its models (app `accounts`), and the
    content type its post-migrate step had made for the criterion model there."""
    old_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="accounts", model="selectioncriterion"
    )[0]
    user = old.get_model("accounts", "User").objects.create(username="scorer", password="!")
    programme = old.get_model("accounts", "Programme").objects.create(name="Old programme")
    customer = old.get_model("accounts", "Customer").objects.create(
        reference="OLD-1", name="Old Customer", annual_revenue=Decimal("1000")
    )
    criterion = old.get_model("accounts", "SelectionCriterion").objects.create(
        programme=programme,
        axis="strength",
        name="Share of wallet",
        weight=2,
        scale_1="Under 10 %",
        scale_3="10-40 %",
        scale_5="Over 40 %",
    )
    score = old.get_model("accounts", "CriterionScore").objects.create(
        customer=customer, criterion=criterion, score=4, scored_by=user
    )
    item = old.get_model("accounts", "RoadmapItem").objects.create(
        programme=programme, kind="workshop", title="Selection workshop", due_on=date(2026, 3, 1)
    )
    now = timezone.now()
    old.get_model("accounts", "HistoricalSelectionCriterion").objects.create(
        id=criterion.pk,
        programme_id=programme.pk,
        axis="strength",
        name="Share of wallet (before)",
        weight=1,
        scale_1="a",
        scale_3="b",
        scale_5="c",
        history_date=now,
        history_type="+",
        history_user=user,
    )
    old.get_model("accounts", "HistoricalCriterionScore").objects.create(
        id=score.pk,
        customer_id=customer.pk,
        criterion_id=criterion.pk,
        score=3,
        scored_at=now,
        history_date=now,
        history_type="~",
        history_user=user,
    )
    return {
        "criterion": criterion.pk,
        "score": score.pk,
        "item": item.pk,
        "user": user.pk,
        "type": old_type.pk,
    }


def test_a_database_at_the_old_head_keeps_its_stage_one_rows_after_the_move(migrated_old_heads):
    ids = migrated_old_heads[__name__]
    criterion = SelectionCriterion.objects.get(pk=ids["criterion"])
    assert (criterion.name, criterion.axis, criterion.weight) == ("Share of wallet", "strength", 2)
    assert criterion.programme.name == "Old programme"
    score = CriterionScore.objects.select_related("customer").get(pk=ids["score"])
    assert (score.score, score.criterion_id, score.scored_by_id) == (4, criterion.pk, ids["user"])
    assert list(Customer.objects.get(reference="OLD-1").scores.all()) == [score]
    item = RoadmapItem.objects.get(pk=ids["item"])
    assert (item.title, item.kind, item.due_on) == (
        "Selection workshop",
        "workshop",
        date(2026, 3, 1),
    )
    assert item.programme_id == criterion.programme_id

    (past_criterion,) = criterion.history.all()
    assert (past_criterion.name, past_criterion.history_type) == ("Share of wallet (before)", "+")
    assert past_criterion.history_user_id == ids["user"]
    (past_score,) = score.history.all()
    assert (past_score.score, past_score.history_type) == (3, "~")
    assert past_score.criterion_id == criterion.pk

    # Same row, new label: permissions and admin log entries that point at it still do.
    moved_type = ContentType.objects.get(pk=ids["type"])
    assert (moved_type.app_label, moved_type.model) == ("strategy", "selectioncriterion")
    assert ContentType.objects.get_for_model(SelectionCriterion).pk == ids["type"]
