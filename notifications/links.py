"""Absolute links for e-mails: a relative link (`/accounts/3/plan/`) does not open from an
e-mail client.

The site's address is, in this order: `KAM_SITE_URL` when the installation sets it; else the
address of the page request during which the notification is written (recorded by
`SiteAddressMiddleware`, from the host Django already checked against `ALLOWED_HOSTS`); else,
for jobs run without a request, the first of `ALLOWED_HOSTS` (https, or http://…:8000 when
`DEBUG` is on, the embedded default's `make run`).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

_request_address: ContextVar[str] = ContextVar("kam_request_site_address", default="")


def _from_allowed_hosts() -> str:
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and h != "testserver"]
    host = (hosts[0] if hosts else "localhost").lstrip(".")
    return f"http://{host}:8000" if settings.DEBUG else f"https://{host}"


def site_address() -> str:
    """The site's address without a trailing slash: "https://kam.example.com"."""
    return settings.KAM_SITE_URL.rstrip("/") or _request_address.get() or _from_allowed_hosts()


def absolute_url(link: str) -> str:
    """ "/accounts/3/plan/" -> "https://kam.example.com/accounts/3/plan/"; absolute links as
    they are."""
    if link.startswith(("http://", "https://")):
        return link
    return f"{site_address()}{link}"


class SiteAddressMiddleware:
    """Remembers, for the length of one request, the address it was made to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            address = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:  # CommonMiddleware (before this one) answers it with a 400
            address = ""
        token = _request_address.set(address)
        try:
            return self.get_response(request)
        finally:
            _request_address.reset(token)
