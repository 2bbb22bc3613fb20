"""The demo's class changes: recorded once, shown on the matrix, independent of the other
stages' demo data (only Stage 1's accounts are seeded here)."""

from django.conf import settings
from django.utils import timezone

from accounts import demo_data as accounts_demo
from accounts.models import AccountEvent, User
from kam.demo import DemoContext
from portfolio import demo_data
from strategy import demo_data as strategy_demo


def _seed():
    ctx = DemoContext(today=timezone.localdate(), scale=1, password=settings.KAM_DEMO_PASSWORD)
    accounts_demo.seed(ctx)
    strategy_demo.seed(ctx)
    demo_data.seed(ctx)


def test_demo_records_class_changes_once_and_the_matrix_shows_them(client, db):
    _seed()
    changes = AccountEvent.objects.filter(kind=AccountEvent.Kind.CLASS_CHANGED)
    first = sorted(changes.values_list("key_account__customer__reference", "old_value"))
    # Stage 1's demo re-classified C-1003 (star -> strategic); this app adds two more.
    assert first == [("C-1003", "star"), ("C-1004", "strategic"), ("C-1008", "streamline")]
    _seed()
    assert changes.count() == 3

    client.force_login(User.objects.get(username="executive"))
    response = client.get("/portfolio/")
    assert response.status_code == 200
    assert len(response.context["matrix"]["ghosts"]) == 3
    assert "was Streamline until" in response.content.decode()
