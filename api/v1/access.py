"""Who is calling and what their token allows. What their *person* may do is answered, as for
every page, by `accounts/permissions.py` (the views ask it for each account and object)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

from api import services
from api.models import ApiToken

READ_ONLY_REFUSAL = _("This token is read-only: make a read-and-write token to change data.")


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer kam_<prefix>_<secret>`: one query finds the token by its prefix;
    its digest is compared in constant time. Revoked, expired, unknown or malformed: 401."""

    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send one token: Authorization: Bearer kam_…."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        parts = services.split_token(raw)
        token = (
            ApiToken.objects.select_related("user").filter(prefix=parts[0]).first()
            if parts
            else None
        )
        if token is None or not services.matches(token, raw):
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if token.expires_on < timezone.localdate():
            raise exceptions.AuthenticationFailed(_("This token has expired; make a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's owner can no longer sign in."))
        services.api_token_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScope(BasePermission):
    """Every call needs a token; a change needs a read-and-write one (403 otherwise)."""

    message = READ_ONLY_REFUSAL

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(
                _("Send a personal API token: Authorization: Bearer kam_….")
            )
        return request.method in SAFE_METHODS or token.may_write
