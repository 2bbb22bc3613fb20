"""A small closed-loop HTTP load generator (http.client + threads) and a form login.

Closed loop: each of `concurrency` clients sends a request, waits for the whole response, and
sends the next one at once. It runs on the same machine as the server, so it takes CPU from it;
`LevelResult.generator_cpu` says how much (CPU seconds of this process per wall second).
Only 127.0.0.1 is ever contacted.
"""

import http.client
import math
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .scrape import account_ids, csrf_token

HOST = "127.0.0.1"
TIMEOUT = 30


class LoginFailed(RuntimeError):
    pass


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 for an empty list)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(len(sorted_values) * pct / 100))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _cookies_from(response, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            jar[name] = morsel.value


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def get(port: int, path: str, cookie: str = "") -> tuple[int, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def login(port: int, username: str, password: str) -> str:
    """Log in through the real form (CSRF token and all); returns a Cookie header value."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/login/")
        response = conn.getresponse()
        html = response.read().decode("utf-8", "replace")
        _cookies_from(response, jar)
        body = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(html)}
        )
        conn.request(
            "POST",
            "/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie_header(jar),
            },
        )
        response = conn.getresponse()
        response.read()
        _cookies_from(response, jar)
    finally:
        conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise LoginFailed(f"login as {username!r} answered {response.status}")
    return cookie_header(jar)


def first_account_id(port: int, cookie: str) -> int:
    status, html = get(port, "/accounts/", cookie)
    ids = account_ids(html) if status == 200 else []
    if not ids:
        raise LoginFailed(f"no account visible on /accounts/ (status {status})")
    return ids[0]


@dataclass
class LevelResult:
    concurrency: int
    seconds: float
    requests: int
    errors: int
    throughput: float  # successful responses per second
    median_ms: float
    p95_ms: float
    p99_ms: float
    generator_cpu: float  # CPU seconds this process used per wall second (1.0 = one core)
    error_kinds: dict = field(default_factory=dict)


def closed_loop(
    port: int,
    path: str,
    cookie: str,
    concurrency: int,
    seconds: float,
    extra_headers: dict[str, str] | None = None,
) -> LevelResult:
    """`concurrency` clients hammer `path` for `seconds`; only HTTP 200 counts as success.
    `extra_headers`: e.g. an API page's `Authorization: Bearer …` (bench/api_token.py)."""
    headers = {"Cookie": cookie} if cookie else {}
    headers.update(extra_headers or {})
    results: list[list[tuple[float, object]]] = [[] for _ in range(concurrency)]
    start = time.perf_counter()
    stop_at = start + seconds
    cpu_start = time.process_time()

    def client(samples: list) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        while time.perf_counter() < stop_at:
            sent = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                outcome: object = response.status
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
                conn.close()
            samples.append((time.perf_counter() - sent, outcome))
        conn.close()

    threads = [threading.Thread(target=client, args=(r,), daemon=True) for r in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + TIMEOUT + 5)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    samples = [s for r in results for s in r]
    ok = sorted(latency for latency, outcome in samples if outcome == 200)
    error_kinds: dict[str, int] = {}
    for _, outcome in samples:
        if outcome != 200:
            error_kinds[str(outcome)] = error_kinds.get(str(outcome), 0) + 1
    return LevelResult(
        concurrency=concurrency,
        seconds=round(elapsed, 2),
        requests=len(samples),
        errors=len(samples) - len(ok),
        throughput=round(len(ok) / elapsed, 1),
        median_ms=round(percentile(ok, 50) * 1000, 1),
        p95_ms=round(percentile(ok, 95) * 1000, 1),
        p99_ms=round(percentile(ok, 99) * 1000, 1),
        generator_cpu=round(cpu / elapsed, 2),
        error_kinds=error_kinds,
    )
