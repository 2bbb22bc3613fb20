"""Signing and sending one webhook delivery; refusing receivers on private networks.

Signature: `X-KAM-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256(secret, f"{t}.{body}") over the exact bytes of the body. A receiver recomputes it,
compares in constant time and refuses timestamps older than a few minutes (replays).

SSRF: a receiver URL whose host resolves to a private, loopback, link-local, multicast,
reserved or unspecified address is refused when the subscription is saved and again at every
send (the name may resolve elsewhere by then: DNS rebinding). For http:// the request goes to
the very address that was checked (the Host header keeps the name), so a second lookup cannot
swap it; for https:// the certificate must match the name. Redirects are not followed.
`KAM_WEBHOOKS_ALLOW_PRIVATE` lifts the refusal (development, tests, the demo receiver).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from django.utils.translation import gettext_noop

from accounts.event_text import EventText

TIMEOUT_SECONDS = 10
# Attempts of one delivery before it is given up, and the back-off between them.
MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
SIGNATURE_TOLERANCE_SECONDS = 300


class UnsafeURL(ValueError):
    """The URL may not receive webhooks; `text` says why (str(): in the active language)."""

    def __init__(self, text: EventText) -> None:
        super().__init__(text.english())
        self.text = text

    def __str__(self) -> str:
        return self.text.text()


def backoff_seconds(attempts: int) -> int:
    """Wait after the `attempts`-th failed attempt: 30 s, 60 s, 120 s, … at most an hour."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, now: float | None = None) -> bool:
    """What a receiver does (README "Webhooks"); used by the tests' receiver."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def resolve_safe(url: str) -> tuple[str, int, str]:
    """(host, port, checked address) of a URL that may receive webhooks, else UnsafeURL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(
            EventText(gettext_noop("The address must start with https:// (or http://)."))
        )
    if parts.username or parts.password:
        raise UnsafeURL(
            EventText(gettext_noop("The address may not carry a user name or password."))
        )
    host = parts.hostname
    if not host:
        raise UnsafeURL(EventText(gettext_noop("The address has no host name.")))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURL(EventText(gettext_noop("The address has an invalid port."))) from None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(
            EventText(gettext_noop("The host name %(host)s does not resolve."), host=host)
        ) from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not settings.KAM_WEBHOOKS_ALLOW_PRIVATE:
        blocked = [str(a) for a in addresses if _private(a)]
        if blocked:
            raise UnsafeURL(
                EventText(
                    gettext_noop(
                        "%(host)s resolves to a private or reserved address (%(address)s); "
                        "webhooks are only sent to public addresses."
                    ),
                    host=host,
                    address=blocked[0],
                )
            )
    return host, port, str(addresses[0])


@dataclass
class Outcome:
    ok: bool
    status_code: int | None = None
    # Read by whoever opens the subscription's page, in their language; a network error's
    # own text as it came.
    error: EventText | None = None


def post(*, url: str, secret: str, delivery_id: str, event: str, payload: dict) -> Outcome:
    """One signed POST of `payload`; never raises for network or receiver trouble."""
    try:
        host, port, address = resolve_safe(url)
    except UnsafeURL as refusal:
        return Outcome(
            ok=False, error=EventText(gettext_noop("Refused: %(reason)s"), reason=refusal.text)
        )
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "KAM-Programme-Webhooks/1",
        "X-KAM-Event": event,
        "X-KAM-Delivery": delivery_id,
        "X-KAM-Signature": sign(secret, body, int(time.time())),
    }
    parts = urlsplit(url)
    target = url
    if parts.scheme == "http":
        # Connect to the address just checked: a second DNS answer cannot point elsewhere.
        netloc = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        target = urlunsplit(("http", netloc, parts.path or "/", parts.query, ""))
        headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
    session = requests.Session()
    # No proxy from the environment: the request must go to the address that was checked.
    session.trust_env = False
    try:
        with session:
            response = session.post(
                target, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False
            )
    except requests.RequestException as error:
        return Outcome(ok=False, error=EventText.verbatim(f"{type(error).__name__}: {error}"))
    ok = 200 <= response.status_code < 300
    error = (
        None
        if ok
        else EventText(
            gettext_noop("The receiver answered HTTP %(code)s."), code=str(response.status_code)
        )
    )
    return Outcome(ok=ok, status_code=response.status_code, error=error)
