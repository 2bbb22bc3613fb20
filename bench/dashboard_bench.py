"""The portfolio dashboard on the benchmark database (issue #9's speed target): median response
of `/portfolio/` as the executive (every account) and as the director with the most accounts,
with the aggregate cache emptied before every request ("cold": the first view of a scope after
PORTFOLIO_CACHE_SECONDS) and kept ("warm"), plus the SQL queries of one request, the CSV and
the PDF. In one warm process through Django's test client, so it is the server's own time
(no HTTP, no gunicorn queueing); the realistic load in bench/run covers those.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://... \\
        python -m bench.dashboard_bench --runs 15 --out dashboard.json
"""

import argparse
import json
import statistics
import time

TARGET_MEDIAN_MS = 150  # issue #22 (issue #9 asked for 300)


def _director_with_most_accounts():
    from django.db.models import Count

    from accounts.models import Membership, Role, User

    row = (
        Membership.objects.filter(role=Role.DIRECTOR, key_account__deselected_on__isnull=True)
        .values("user_id")
        .annotate(n=Count("key_account"))
        .order_by("-n", "user_id")
        .first()
    )
    return User.objects.get(pk=row["user_id"]), row["n"]


def _time(client, url: str, *, runs: int, cold: bool) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return body

    for _ in range(2):  # warm the process: templates, first connection
        get()
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        get()
    times.sort()
    return {
        "url": url,
        "cold": cold,
        "runs": runs,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, -(-len(times) * 95 // 100) - 1)], 1),
        "queries": len(queries),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    import logging

    import django

    django.setup()
    from kam.wsgi import settle_start_up

    settle_start_up()  # as a gunicorn worker starts (kam/wsgi.py)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # INFO is a line per layout step
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per test-client log-in
    from django.test import Client

    from accounts.models import KeyAccount, User
    from opportunities.models import Opportunity
    from planning.models import Action
    from planning.services import plan_health_refresh

    started = time.perf_counter()
    refreshed = plan_health_refresh()
    refresh_ms = round((time.perf_counter() - started) * 1000, 1)

    executive = User.objects.get(username="executive")
    director, directed = _director_with_most_accounts()
    data = {
        "key_accounts": KeyAccount.objects.active().count(),
        "opportunities": Opportunity.objects.count(),
        "actions": Action.objects.count(),
    }
    results = []
    for label, user in (
        (f"executive ({data['key_accounts']} accounts)", executive),
        (f"director {director.username} ({directed} accounts)", director),
    ):
        client = Client()
        client.force_login(user)
        for url, cold in (
            ("/portfolio/", True),
            ("/portfolio/", False),
            ("/portfolio/?sort=-health&page=3", True),
            ("/portfolio/?health=poor", True),
            ("/portfolio/health.csv", True),
            ("/portfolio/portfolio.pdf", True),
        ):
            row = _time(client, url, runs=args.runs, cold=cold)
            row["who"] = label
            results.append(row)
            print(
                f"{label:<40} {url:<36} {'cold' if cold else 'warm'}: median "
                f"{row['median_ms']:>7} ms, p95 {row['p95_ms']:>7} ms, {row['queries']} queries"
            )
    print(f"Plan health refresh (the nightly job): {refreshed} plans in {refresh_ms} ms")
    if args.out:
        with open(args.out, "w") as handle:
            json.dump(
                {
                    "data": data,
                    "target_median_ms": TARGET_MEDIAN_MS,
                    "health_refresh": {"plans": refreshed, "ms": refresh_ms},
                    "results": results,
                },
                handle,
                indent=2,
            )


if __name__ == "__main__":
    main()
