"""Query budgets: how many SQL queries each page of bench/pages.py costs each role, at two data
sizes. A page whose count grows with the data has a query per row somewhere.

    python -m bench.query_budget --size 1 postgres://.../kam_bench_n1 \\
                                 --size 10 postgres://.../kam_bench --out budgets.json

Each size is measured in its own process (settings are read once per process) through Django's
test client with CaptureQueriesContext: a logged-in GET, after one warm-up GET of the same URL.
No management command, no server. Writes only the session rows of the test client's log-ins.
"""

import argparse
import json
import os
import subprocess  # noqa: S404 - runs this same script for each database
import sys

from .pages import BUDGET_ROLES, BUDGET_USERS


def measure() -> dict:
    """In a process whose DATABASE_URL names one seeded database: counts per page and role."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import KeyAccount, User
    from accounts.permissions import accounts_visible_to

    from .api_token import token_for
    from .pages import resolve_pages

    available, unavailable = resolve_pages()
    counts: dict[str, dict[str, object]] = {}
    for page in available:
        row = counts.setdefault(page["key"], {})
        for role in BUDGET_ROLES:
            user = User.objects.filter(username=BUDGET_USERS[role]).first()
            if user is None:
                row[role] = "no user"
                continue
            account_id = None
            if page["account"]:
                first = accounts_visible_to(user).active().order_by("customer__name")
                account = first.first()
                if account is None:
                    row[role] = "no account"
                    continue
                account_id = account.pk
            url = page["template"].format(account_id=account_id)
            if page.get("api"):
                client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
            else:
                client = Client()
                client.force_login(user)
            client.get(url)  # warm-up: per-process caches, first-use lookups
            with CaptureQueriesContext(connection) as capture:
                response = client.get(url)
            queries = len(capture.captured_queries)
            row[role] = queries if response.status_code == 200 else f"HTTP {response.status_code}"
    data = {
        "accounts": KeyAccount.objects.count(),
        "users": User.objects.count(),
        "counts": counts,
        "unavailable": [{"key": p["key"], "reason": p["reason"]} for p in unavailable],
    }
    return data


def compare(sizes: list[tuple[str, dict]]) -> dict:
    """Rows of (page, role, count per size, verdict); ok is False when any count grows."""
    (small_label, small), (large_label, large) = sizes[0], sizes[-1]
    rows = []
    ok = True
    for page, by_role in large["counts"].items():
        for role, large_count in by_role.items():
            small_count = small["counts"].get(page, {}).get(role)
            if isinstance(small_count, int) and isinstance(large_count, int):
                grows = large_count > small_count
                verdict = f"grows (+{large_count - small_count})" if grows else "same"
                ok = ok and not grows
            else:
                verdict = "n/a"
            rows.append(
                {
                    "page": page,
                    "role": role,
                    "counts": {label: d["counts"].get(page, {}).get(role) for label, d in sizes},
                    "verdict": verdict,
                }
            )
    return {
        "sizes": [
            {"label": label, "accounts": d["accounts"], "users": d["users"]} for label, d in sizes
        ],
        "rows": rows,
        "ok": ok,
        "unavailable": large["unavailable"],
        "small": small_label,
        "large": large_label,
    }


def markdown(result: dict) -> str:
    labels = [s["label"] for s in result["sizes"]]
    head = " | ".join(f"N={s['label']} ({s['accounts']} accounts)" for s in result["sizes"])
    lines = [f"| page | role | {head} | verdict |", "|---|---|" + "---:|" * len(labels) + "---|"]
    for row in result["rows"]:
        cells = " | ".join(str(row["counts"][label]) for label in labels)
        lines.append(f"| {row['page']} | {row['role']} | {cells} | {row['verdict']} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", nargs=2, action="append", metavar=("N", "DATABASE_URL"))
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    if args.measure:
        json.dump(measure(), sys.stdout)
        return
    if not args.size or len(args.size) < 2:
        parser.error("give two --size N DATABASE_URL pairs, smallest first")
    sizes = []
    for label, url in args.size:
        env = {**os.environ, "DATABASE_URL": url}
        env.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
        hosts = env.get("ALLOWED_HOSTS", "")
        env["ALLOWED_HOSTS"] = ",".join(filter(None, [hosts, "testserver"]))
        done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [sys.executable, "-m", "bench.query_budget", "--measure"],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"query budget at N={label} failed")
        sizes.append((label, json.loads(done.stdout)))
    result = compare(sizes)
    print(markdown(result))
    print("\nPASS: no page's query count grows with the data." if result["ok"] else "\nMISS")
    if args.out:
        with open(args.out, "w") as out:
            json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
