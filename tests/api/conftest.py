import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create


@pytest.fixture
def token_for():
    """token_for(user, scope="read_write") -> the secret (the whole token)."""

    def make(user, scope=ApiToken.Scope.READ_WRITE):
        return api_token_create(
            user=user,
            name=f"{scope} token",
            scope=scope,
            expires_on=timezone.localdate() + timezone.timedelta(days=30),
        ).secret

    return make


@pytest.fixture
def api(token_for):
    """api(user, scope=...) -> a test client that sends that person's token."""

    def make(user, scope=ApiToken.Scope.READ_WRITE):
        return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scope)}")

    return make
