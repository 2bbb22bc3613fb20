"""What the opportunity pages share: the account, its currency and its flags."""

from accounts import permissions
from accounts.models import Programme


def _common(request, account) -> dict:
    return {
        "account": account,
        "currency": Programme.current().currency,
        **permissions.account_flags(request.user, account),
    }
