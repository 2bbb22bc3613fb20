"""The scale curve (issue #22): queries and median latency of each page at several data sizes
(seed_demo --scale N; N=500 is about 10,000 key accounts and 500,000 actions), measured side by
side, and the periodic jobs' time and queries at the sizes asked for.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.scale \\
        --size 10 postgres://.../kam_bench_n10 --size 100 postgres://.../kam_bench \\
        --size 500 postgres://.../kam_bench_n500 --runs 9 --jobs-at 500 --out scale.json

One warm worker process per database (settings, hence DATABASE_URL, are read once per process),
all started before measuring. The coordinator asks them in turn, one request at a time and in a
rotating order, so that a burst of load from others on a shared machine falls on every size
alike: the ratio between two sizes measured this way is steadier than either absolute time.
Each worker serves requests through Django's test client (the server's own time: no HTTP, no
gunicorn), counts the queries of one request after a warm-up request, then times `runs`
requests. The portfolio dashboard is measured cold (its aggregate cache emptied before each
request: what the first view of a scope costs) and, for the executive, warm as well.

Jobs run last, because they write (reviews opened, notifications, digests): each as beat would
run it, through `rhythm.jobs`, timed once, with every query counted (also past the 9,000 that
Django's query log keeps). The digests are sent as on a Monday (weekly digests go out on
Mondays; on other days only the daily ones would).

A worker writes its answers to a copy of its original stdout; anything else the product prints
(the console e-mail backend, warnings) goes to stderr, so it cannot break the protocol.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess  # noqa: S404 - runs this same script, one process per database
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

# (page key, user) pairs held to the flatness target; the rest are reported and explained.
FLAT_TARGET = {
    ("account_list", "director"),
    ("account_overview", "director"),
    ("plan", "director"),
    ("my_work", "director"),
    ("dashboard", "director"),
}
MAX_MEDIAN_RATIO = 1.5
# Who requests which page in the scale curve. The demo director and manager see the same
# hand-written accounts at every size (what stays the same while the programme grows around
# them); the executive sees every account (what grows with it).
CASES = [
    ("home", "director"),
    ("home", "executive"),
    ("account_list", "director"),
    ("account_list", "executive"),
    ("account_overview", "director"),
    ("account_overview", "executive"),
    ("plan", "director"),
    ("plan", "manager"),
    ("pipeline", "director"),
    ("pipeline", "executive"),
    ("my_work", "director"),
    ("my_work", "manager"),
    ("dashboard", "director"),
    ("dashboard", "executive"),
    ("dashboard_warm", "executive"),
    ("api_key_accounts", "director"),
    ("api_key_accounts", "executive"),
]
JOBS = ("plan_health", "open_reviews", "digests")
PAGE_NAMES = {"dashboard": "dashboard (cold)", "dashboard_warm": "dashboard (warm)"}


@dataclass
class Case:
    key: str  # "page/user"
    page: str
    user: str
    url: str
    cold: bool
    api: bool


# ---- worker: one process per database ----------------------------------------------------


class Counter:
    """Counts every query through the connection (execute_wrapper), without keeping them."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Worker:
    def __init__(self):
        import django

        django.setup()
        from kam.wsgi import settle_start_up

        settle_start_up()  # as a gunicorn worker starts (kam/wsgi.py)
        import logging

        for name in ("axes", "weasyprint", "celery", "kam", "rhythm", "notifications"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self.clients: dict[str, object] = {}
        self.cases: dict[str, Case] = {}

    def client(self, username: str, api: bool):
        from django.test import Client

        from accounts.models import User

        key = f"{username}/{'api' if api else 'web'}"
        if key not in self.clients:
            user = User.objects.get(username=username)
            if api:
                from .api_token import token_for

                client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
            else:
                client = Client()
                client.force_login(user)
            self.clients[key] = client
        return self.clients[key]

    def facts(self) -> dict:
        from accounts.models import KeyAccount, User
        from delivery.models import Meeting
        from discovery.models import Stakeholder
        from opportunities.models import Opportunity
        from planning.models import AccountPlan, Action

        return {
            "key_accounts": KeyAccount.objects.count(),
            "users": User.objects.count(),
            "plans": AccountPlan.objects.count(),
            "actions": Action.objects.count(),
            "opportunities": Opportunity.objects.count(),
            "stakeholders": Stakeholder.objects.count(),
            "meetings": Meeting.objects.count(),
        }

    def setup(self) -> dict:
        from accounts.models import User
        from accounts.permissions import accounts_visible_to

        from .pages import resolve_pages

        available, _unavailable = resolve_pages()
        pages = {page["key"]: page for page in available}
        pages["dashboard_warm"] = pages.get("dashboard")
        cases = []
        for page_key, username in CASES:
            page = pages.get(page_key)
            if page is None:
                continue
            account_id = None
            if page["account"]:
                user = User.objects.get(username=username)
                account = accounts_visible_to(user).active().order_by("customer__name").first()
                if account is None:
                    continue
                account_id = account.pk
            case = Case(
                key=f"{page_key}/{username}",
                page=page_key,
                user=username,
                url=page["template"].format(account_id=account_id),
                cold=page_key == "dashboard",
                api=bool(page.get("api")),
            )
            self.cases[case.key] = case
            cases.append(case.key)
        return {"cases": cases, "facts": self.facts()}

    def _get(self, case: Case):
        from django.core.cache import cache

        if case.cold:
            cache.clear()
        response = self.client(case.user, case.api).get(case.url)
        if response.streaming:
            b"".join(response)
        if response.status_code != 200:
            raise RuntimeError(f"{case.url} as {case.user}: HTTP {response.status_code}")
        return response

    def queries(self, key: str) -> dict:
        from django.db import connection

        case = self.cases[key]
        self._get(case)  # warm-up: templates, per-process caches, first-use lookups
        counter = Counter()
        with connection.execute_wrapper(counter):
            self._get(case)
        return {"queries": counter.count, "url": case.url}

    def time(self, key: str) -> dict:
        case = self.cases[key]
        started, started_cpu = time.perf_counter(), time.process_time()
        self._get(case)
        return {
            "ms": (time.perf_counter() - started) * 1000,
            "cpu_ms": (time.process_time() - started_cpu) * 1000,
        }

    def jobs(self, names: list[str]) -> list[dict]:
        from django.db import connection
        from django.utils import timezone

        from notifications.services import emails_send_pending
        from rhythm import jobs, services
        from rhythm.models import JobRun

        now = timezone.now()
        monday = now + timedelta(days=(7 - now.weekday()) % 7)
        runs = {
            "plan_health": lambda: jobs.run_job(JobRun.Job.PLAN_HEALTH, trigger="bench").counts,
            "open_reviews": lambda: jobs.run_job(JobRun.Job.OPEN_REVIEWS, trigger="bench").counts,
            # As the DIGESTS job (then_send_waiting), on a Monday: weekly digests go out too.
            "digests": lambda: {
                **services.digests_send(now=monday),
                "emails_sent": emails_send_pending(untried_only=True)["sent"],
            },
        }
        results = []
        for name in names:
            counter = Counter()
            started, started_cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(counter):
                counts = runs[name]()
            results.append(
                {
                    "job": name,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "cpu_ms": round((time.process_time() - started_cpu) * 1000, 1),
                    "queries": counter.count,
                    "counts": counts,
                    "on": (monday if name == "digests" else now).date().isoformat(),
                }
            )
        return results


def serve() -> None:
    """Answer one JSON command per line on stdin; protocol on a copy of the original stdout."""
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # whatever the product prints goes to stderr
    sys.stdout = sys.stderr
    worker = Worker()
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        try:
            if op == "setup":
                answer = worker.setup()
            elif op == "queries":
                answer = worker.queries(command["case"])
            elif op == "time":
                answer = worker.time(command["case"])
            elif op == "jobs":
                answer = {"jobs": worker.jobs(command["jobs"])}
            elif op == "facts":
                answer = worker.facts()
            else:
                answer = {"error": f"unknown op {op}"}
        except Exception as error:  # noqa: BLE001 - reported to the coordinator, which stops
            answer = {"error": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


# ---- coordinator ---------------------------------------------------------------------------


class Remote:
    def __init__(self, label: str, url: str):
        env = {**os.environ, "DATABASE_URL": url}
        env.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
        env["ALLOWED_HOSTS"] = ",".join(filter(None, [env.get("ALLOWED_HOSTS", ""), "testserver"]))
        # E-mails of the jobs are built and kept in memory, not printed or sent anywhere.
        env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        env.pop("EMAIL_HOST", None)
        self.label = label
        self.process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
            [sys.executable, "-m", "bench.scale", "--serve"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, op: str, **fields) -> dict:
        self.process.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"scale: the N={self.label} worker stopped (see stderr)")
        answer = json.loads(line)
        if "error" in answer:
            raise SystemExit(f"scale: N={self.label}, {op} {fields}: {answer['error']}")
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def measure(
    sizes: list[tuple[str, str]], *, runs: int, jobs_at: list[str], only=(), log=print
) -> dict:
    remotes = [Remote(label, url) for label, url in sizes]
    try:
        setups = {r.label: r.ask("setup") for r in remotes}
        labels = [r.label for r in remotes]
        # Only cases every size has (the same page and user everywhere).
        keys = [
            key
            for key in setups[labels[0]]["cases"]
            if all(key in setup["cases"] for setup in setups.values())
            and (not only or key.split("/")[0] in only)
        ]
        rows = []
        for key in keys:
            queries = {r.label: r.ask("queries", case=key)["queries"] for r in remotes}
            times: dict[str, list[float]] = {label: [] for label in labels}
            cpu: dict[str, list[float]] = {label: [] for label in labels}
            for n in range(runs):
                # Rotate the order each round: no size is always first after another's request.
                for remote in remotes[n % len(remotes) :] + remotes[: n % len(remotes)]:
                    answer = remote.ask("time", case=key)
                    times[remote.label].append(answer["ms"])
                    cpu[remote.label].append(answer["cpu_ms"])
            row = {
                "case": key,
                "page": key.split("/")[0],
                "user": key.split("/")[1],
                "queries": queries,
                "median_ms": {label: _median(times[label]) for label in labels},
                "cpu_median_ms": {label: _median(cpu[label]) for label in labels},
                "runs": runs,
            }
            rows.append(row)
            log(
                f"{key:<32} queries "
                + " / ".join(str(queries[label]) for label in labels)
                + "   median ms "
                + " / ".join(f"{row['median_ms'][label]:.1f}" for label in labels)
            )
        jobs = {}
        for remote in remotes:
            if remote.label in jobs_at:
                jobs[remote.label] = remote.ask("jobs", jobs=list(JOBS))["jobs"]
                for job in jobs[remote.label]:
                    log(
                        f"N={remote.label} job {job['job']}: {job['ms']:.0f} ms, "
                        f"{job['queries']} queries, {job['counts']}"
                    )
        facts = {label: setups[label]["facts"] for label in labels}
    finally:
        for remote in remotes:
            remote.close()
    return judge({"sizes": labels, "facts": facts, "rows": rows, "jobs": jobs})


def judge(data: dict) -> dict:
    """Verdicts: queries equal and the median within MAX_MEDIAN_RATIO from the second-largest
    size to the largest, for the FLAT_TARGET cases; the others are reported without one."""
    labels = data["sizes"]
    ok = True
    for row in data["rows"]:
        if len(labels) < 2:
            row["ratio"], row["verdict"] = None, "n/a"
            continue
        before, after = labels[-2], labels[-1]
        ratio = row["median_ms"][after] / row["median_ms"][before]
        row["ratio"] = round(ratio, 2)
        flat_queries = row["queries"][after] == row["queries"][before]
        if (row["page"], row["user"]) in FLAT_TARGET:
            passed = flat_queries and ratio <= MAX_MEDIAN_RATIO
            row["verdict"] = "PASS" if passed else "MISS"
            ok = ok and passed
        else:
            row["verdict"] = "same queries" if flat_queries else "queries grow"
    data["ok"] = ok if len(labels) >= 2 else None
    return data


def markdown(data: dict) -> str:
    labels = data["sizes"]
    facts = data["facts"]
    lines = [
        "| N | key accounts | users | plans | actions | opportunities | stakeholders | meetings |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label in labels:
        f = facts[label]
        lines.append(
            f"| {label} | {f['key_accounts']:,} | {f['users']:,} | {f['plans']:,} | "
            f"{f['actions']:,} | {f['opportunities']:,} | {f['stakeholders']:,} | "
            f"{f['meetings']:,} |"
        )
    lines.append("")
    sizes = " / ".join(f"N={label}" for label in labels)
    last = f"N={labels[-1]} / N={labels[-2]}" if len(labels) >= 2 else "ratio"
    lines.append(f"| page | user | queries ({sizes}) | median ms ({sizes}) | {last} | |")
    lines.append("|---|---|---:|---:|---:|---|")
    for row in data["rows"]:
        queries = " / ".join(str(row["queries"][label]) for label in labels)
        medians = " / ".join(f"{row['median_ms'][label]:g}" for label in labels)
        ratio = "—" if row.get("ratio") is None else f"{row['ratio']:.2f}×"
        page = PAGE_NAMES.get(row["page"], row["page"])
        verdict = "**MISS**" if row["verdict"] == "MISS" else row["verdict"]
        lines.append(f"| {page} | {row['user']} | {queries} | {medians} | {ratio} | {verdict} |")
    if data.get("jobs"):
        lines.append("")
        lines.append("| N | job | time ms | CPU ms (Python) | queries | counts |")
        lines.append("|---:|---|---:|---:|---:|---|")
        for label, jobs in data["jobs"].items():
            for job in jobs:
                counts = ", ".join(f"{k} {v}" for k, v in job["counts"].items())
                lines.append(
                    f"| {label} | {job['job']} ({job['on']}) | {job['ms']:,.0f} | "
                    f"{job['cpu_ms']:,.0f} | {job['queries']:,} | {counts} |"
                )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", nargs=2, action="append", metavar=("N", "DATABASE_URL"))
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--jobs-at", action="append", default=[], metavar="N")
    parser.add_argument("--only", action="append", default=[], metavar="PAGE", help="page key")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    if args.serve:
        serve()
        return
    if not args.size:
        parser.error("give --size N DATABASE_URL pairs, smallest first")
    started = datetime.now()
    data = measure(
        [(label, url) for label, url in args.size],
        runs=args.runs,
        jobs_at=args.jobs_at,
        only=args.only,
        log=lambda line: print(line, file=sys.stderr, flush=True),
    )
    data["seconds"] = round((datetime.now() - started).total_seconds(), 1)
    loadavg = Path("/proc/loadavg")
    data["loadavg"] = loadavg.read_text().split()[:3] if loadavg.exists() else []
    print(markdown(data))
    if args.out:
        with open(args.out, "w") as out:
            json.dump(data, out, indent=2)


if __name__ == "__main__":
    main()
