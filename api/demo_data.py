"""The demo's API token, for the README's curl example.

Its secret is FIXED and PUBLISHED (README), like the demo users' password: it exists only where
`seed_demo` ran (refused with DEBUG=0 unless --force). Real tokens are random and shown once.
"""

from datetime import timedelta

from .models import ApiToken
from .services import api_token_create

# A deterministic demo-only token (not a secret: it is in the README).
DEMO_TOKEN = "kam_demo_manager-read-write-demo-token"  # noqa: S105
DEMO_TOKEN_NAME = "Demo token (published in the README)"  # noqa: S105
LIFETIME = timedelta(days=365)


def seed(ctx) -> None:
    manager = ctx.users.get("manager")
    if manager is None:
        return
    existing = ApiToken.objects.filter(prefix="demo").first()
    if existing is None:
        api_token_create(
            user=manager,
            name=DEMO_TOKEN_NAME,
            scope=ApiToken.Scope.READ_WRITE,
            expires_on=ctx.today + LIFETIME,
            secret=DEMO_TOKEN,
        )
    else:  # a second run keeps the one token working
        ApiToken.objects.filter(pk=existing.pk).update(
            user=manager, revoked_at=None, expires_on=ctx.today + LIFETIME
        )
    ctx.say(
        "API: the demo manager's token (demo only, published in the README) is "
        f"{DEMO_TOKEN} — try: curl -H 'Authorization: Bearer {DEMO_TOKEN}' "
        "http://127.0.0.1:8000/api/v1/key-accounts/"
    )
