from django.test import Client

from api.demo_data import DEMO_TOKEN
from api.models import ApiToken


# Seeding again keeps one token: tests/kam/test_seed_demo.py.
def test_the_demo_managers_token_from_the_readme_lists_their_accounts(demo):
    token = ApiToken.objects.get(prefix="demo")
    assert token.user.username == "manager" and token.may_write
    body = Client(HTTP_AUTHORIZATION=f"Bearer {DEMO_TOKEN}").get("/api/v1/key-accounts/").json()
    mine = set(token.user.memberships.values_list("key_account_id", flat=True))
    assert body["count"] == len(mine) > 0
    assert {row["id"] for row in body["results"]} <= mine
