"""Realistic load: people in their roles log in once, then browse the pages of bench/pages.py
that their role uses, thinking 1-5 s between requests.

Run by bench/run; by hand:
    BENCH_PAGES_JSON=bench/out/pages.json BENCH_SCALE=10 locust -f bench/locustfile.py \\
        --headless -u 50 -r 10 --run-time 60s --host http://127.0.0.1:8765

Steady state: a log-in costs ~250 ms of CPU (PBKDF2), so 50 people logging in within 5 s keep
both cores busy for several seconds, and the requests queued behind them take a few more seconds
to drain. Locust's stats (the CSV) are therefore reset BENCH_SETTLE_SECONDS (default 5) after the
last person has logged in, and measure browsing only. This file also records every request of
the whole run (log-ins and the log-in storm included) into BENCH_LOCUST_EXTRA as JSON, so that
no error and no slow request is hidden by that reset.
"""

import itertools
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_token import CREATE_PATH, TOKENS_PAGE, token_from_page  # noqa: E402
from bench.pages import DEMO_PASSWORD, LOAD_MIX, role_usernames  # noqa: E402
from bench.scrape import account_ids, csrf_token  # noqa: E402

PAGES = json.loads(Path(os.environ["BENCH_PAGES_JSON"]).read_text())["available"]
SCALE = int(os.environ.get("BENCH_SCALE", "10"))
EXTRA_OUT = os.environ.get("BENCH_LOCUST_EXTRA", "")
SETTLE_SECONDS = float(os.environ.get("BENCH_SETTLE_SECONDS", "5"))
ACCOUNTS_PER_USER = 10  # account pages are spread over (at most) this many of the user's accounts

_next_user = {role: itertools.count() for role in LOAD_MIX}
_whole_run: dict[str, dict] = {}
_logged_in = itertools.count(1)
_steady = {"started": None, "all_logged_in": None, "since": None}


@events.test_start.add_listener
def _started(environment, **kwargs):
    _steady["started"] = time.time()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kwargs):
    entry = _whole_run.setdefault(name, {"times": [], "errors": {}})
    entry["times"].append(response_time)
    if exception is not None:
        message = str(exception)[:200]
        entry["errors"][message] = entry["errors"].get(message, 0) + 1


@events.quitting.add_listener
def _write_whole_run(environment, **kwargs):
    if EXTRA_OUT:
        Path(EXTRA_OUT).write_text(json.dumps({"requests": _whole_run, **_steady}))


class KamUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 5)

    def on_start(self):
        names = role_usernames(self.role, SCALE)
        self.username = names[next(_next_user[self.role]) % len(names)]
        self.pages = [p for p in PAGES if self.role in p["roles"]]
        self.account_ids: list[int] = []
        self._log_in()
        if next(_logged_in) == sum(LOAD_MIX.values()):
            # Everyone is in: once the queue has drained, the stats measure browsing only.
            _steady["all_logged_in"] = time.time()
            gevent.spawn_later(SETTLE_SECONDS, self._start_steady_state)

    def _start_steady_state(self):
        self.environment.stats.reset_all()
        _steady["since"] = time.time()

    def _log_in(self):
        form = self.client.get("/login/", name="login (form)")
        with self.client.post(
            "/login/",
            data={
                "username": self.username,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": csrf_token(form.text),
            },
            headers={"Referer": f"{self.host}/login/"},
            name="login (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"login as {self.username} answered {response.status_code}")
                return
        # Which accounts may this person open? The links on their own account list.
        with self.client.get(
            "/accounts/", name="account_list", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            self.account_ids = account_ids(response.text)[:ACCOUNTS_PER_USER]
        self.api_headers = {}
        if any(p.get("api") for p in self.pages):
            self._make_api_token()

    def _make_api_token(self):
        """As a person does on their API tokens page; the page shows the token once."""
        form = self.client.get(TOKENS_PAGE, name="api tokens (form)")
        expires = (date.today() + timedelta(days=2)).isoformat()
        with self.client.post(
            CREATE_PATH,
            data={
                "name": "Load test",
                "scope": "read",
                "expires_on": expires,
                "csrfmiddlewaretoken": csrf_token(form.text),
            },
            headers={"Referer": f"{self.host}{TOKENS_PAGE}"},
            name="api tokens (make)",
            catch_response=True,
        ) as response:
            token = token_from_page(response.text)
            if not token:
                response.failure(f"no API token for {self.username}")
                return
        self.api_headers = {"Authorization": f"Bearer {token}"}

    @task
    def browse(self):
        pages = [
            p
            for p in self.pages
            if (self.account_ids or not p["account"]) and (self.api_headers or not p.get("api"))
        ]
        if not pages:
            return
        page = random.choices(pages, weights=[p["weight"] for p in pages])[0]
        url = page["template"].format(account_id=random.choice(self.account_ids or [0]))
        headers = self.api_headers if page.get("api") else None
        with self.client.get(
            url, name=page["key"], headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} as {self.username} on {url}")


# One locust user class per role, with a fixed head count (sums to the 50 users of the run).
for _role, _count in LOAD_MIX.items():
    _name = f"{_role.title()}User"
    globals()[_name] = type(_name, (KamUser,), {"role": _role, "fixed_count": _count})
