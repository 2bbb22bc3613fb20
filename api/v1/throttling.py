"""The request budget: `API_RATE_PER_MINUTE` (300) requests a minute per token, counted in the
cache (`CACHE_URL`, shared by every worker when it is Redis). Over it: 429 with Retry-After.
Calls without a valid token are counted per client address (they are answered 401 anyway).
A cache that is down lets requests through (logged), as for the password reset throttle: the
budget protects the server's capacity, and the token is still required."""

from __future__ import annotations

import logging

from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken

log = logging.getLogger(__name__)


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return f"api-throttle-token-{request.auth.pk}"
        return f"api-throttle-client-{self.get_ident(request)}"

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is down: let the request through
            log.warning("API throttle: the cache did not answer; request let through")
            return True
