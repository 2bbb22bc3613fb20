""" "Less is more": the strategy pages and the portfolio dashboard agree on when the programme
has more key accounts than its limit allows, also where the share rounds to the limit."""

from django.urls import reverse

from accounts.models import Customer, KeyAccount, Programme
from tests.factories import CustomerFactory, KeyAccountFactory


def _programme_of(key_accounts: int, customers: int, limit: int = 20) -> None:
    programme = Programme.ensure()
    programme.key_account_limit_percent = limit
    programme.save(update_fields=["key_account_limit_percent"])
    KeyAccountFactory.create_batch(key_accounts - KeyAccount.objects.active().count())
    missing = customers - Customer.objects.count()
    Customer.objects.bulk_create(CustomerFactory.build_batch(missing))


def test_a_share_that_rounds_to_the_limit_is_still_over_it_on_both_pages(
    client_for, people, account
):
    # 81 of 404 customers: 20.049... %, shown 20.0 % when rounded to 0.1; the limit of 20 %
    # allows floor(404 × 20 / 100) = 80 key accounts, so one is over.
    _programme_of(81, 404)
    strategy = client_for(people.programme_admin).get(reverse("strategy:strategy"))
    text = strategy.content.decode()
    assert (
        "81 key accounts out of 404 customers (20.05 %) — above the programme's limit of 20 %"
        in (text)
    )
    dashboard = client_for(people.executive).get(reverse("portfolio:dashboard"))
    assert "1 over the limit." in dashboard.content.decode()


def test_at_the_limit_neither_page_warns(client_for, people, account):
    _programme_of(80, 400)  # exactly 20 %
    strategy = client_for(people.programme_admin).get(reverse("strategy:strategy"))
    assert "above the programme's limit" not in strategy.content.decode()
    dashboard = client_for(people.executive).get(reverse("portfolio:dashboard"))
    assert "over the limit." not in dashboard.content.decode()
