"""The in-place edit's round trip against a full plan page (issue #19's target: the round trip
costs less than half of a full plan page).

Measured through Django's test client in one warm process, as the demo manager on their
largest plan: the full plan page (GET, drawn as after an edit: its cache bypassed), the
in-place save of one action (the htmx POST, which answers with the action's row and what
of the plan it changed), and for reference the same save
without JavaScript (POST, redirect, whole page again). The same three for the stakeholder list
(discovery), edited in place the same way: its page, the in-place save of one stakeholder (its
row alone), and that save without JavaScript. Each save commits, as a user's does: a
rolled-back save would also drop every statement the connection had prepared (psycopg forgets
them on any ROLLBACK; finding 55), which a real save never does. The saves alternate between a
changed name and the saved one; after each save, untimed, the plan goes back to approved, so
every timed save makes a change and moves the plan back to draft. At the end the action, the
stakeholder and the plan read as before, but for their revision counters, their history rows
and the plan's timeline ("edited after approval"). An edit that keeps the owner queues no
after-commit work (notifications).

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://... \\
        python -m bench.inplace_bench --runs 30 --out inplace.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from urllib.parse import urlencode

TARGET_RATIO = 0.5
# The edit forms are posted as a browser posts them, htmx or not: URL-encoded (none of them
# declares multipart, and htmx encodes a form's fields the same way). Django's test client
# would otherwise send multipart, which costs the server more to parse.
FORM_ENCODED = "application/x-www-form-urlencoded"
# Issue #22: the round trip's capacity at least half of our empty page's (`hello_page`), i.e.
# the round trip at most twice its time; measured in the same loop, same process and user.
TARGET_SHARE_OF_HELLO_PAGE = 0.5


def measure(*, runs: int, username: str = "manager") -> dict:
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from planning import page_cache
    from planning.models import AccountPlan, Action

    user = User.objects.get(username=username)
    plan = (
        AccountPlan.objects.filter(
            is_current=True,
            key_account__memberships__user=user,
            key_account__memberships__role="manager",
        )
        .annotate(n=Count("actions"))
        .order_by("-n", "pk")
        .first()
    )
    action = plan.actions.filter(status__in=Action.OPEN_STATUSES).order_by("pk").first()
    saved_title, saved_status = action.title, plan.status
    client = Client()
    client.force_login(user)
    page_url = reverse("planning:plan", args=[plan.key_account_id])
    edit_url = reverse("planning:item_edit", args=[plan.key_account_id, "action", action.pk])

    moved = [False]

    def data():
        moved[0] = not moved[0]
        return {
            "title": saved_title + (" (moved)" if moved[0] else ""),
            "owner": action.owner_id,
            "due_on": action.due_on.isoformat(),
            "objective": action.objective_id or "",
            "opportunity": action.opportunity_id or "",
            "revision": action.revision,
        }

    def full_page():
        # The page as a user gets it after an edit: drawn, not served from the plan page's
        # cache (planning/page_cache.py), which every save makes stale.
        with page_cache.bypassed():
            response = client.get(page_url)
        assert response.status_code == 200, response.status_code
        return response

    def in_place():
        response = client.post(
            edit_url,
            urlencode(data()),
            content_type=FORM_ENCODED,
            headers={"HX-Request": "true", "HX-Target": "actions"},
        )
        assert response.status_code == 200, response.content[:300]
        # The action's row alone since the row swap (the whole section before it).
        assert f'<tbody id="action-{action.pk}"'.encode() in response.content
        return response

    def without_js():
        response = client.post(edit_url, urlencode(data()), content_type=FORM_ENCODED, follow=True)
        assert response.status_code == 200, response.status_code
        return response

    def approved_again():  # untimed, after each save: the next save leaves approval again
        action.refresh_from_db(fields=["revision"])
        AccountPlan.objects.filter(pk=plan.pk).update(status=saved_status)

    def hello_page():  # our empty page: base.html, its menu and context processors (bench/urls.py)
        response = client.get(reverse("bench_hello_page"))
        assert response.status_code == 200, response.status_code
        return response

    results = timed_interleaved(
        {
            "full_page": full_page,
            "in_place": in_place,
            "without_js": without_js,
            "hello_page": hello_page,
        },
        runs,
        after={"in_place": approved_again, "without_js": approved_again},
    )
    Action.objects.filter(pk=action.pk).update(title=saved_title)
    approved_again()
    ratio = results["in_place"]["median_ms"] / results["full_page"]["median_ms"]
    ratio_js = results["in_place"]["median_ms"] / results["without_js"]["median_ms"]
    ratio_cpu = results["in_place"]["cpu_median_ms"] / results["full_page"]["cpu_median_ms"]
    share = results["hello_page"]["median_ms"] / results["in_place"]["median_ms"]
    return {
        "account": plan.key_account.name,
        "actions": plan.n,
        "runs": runs,
        "results": results,
        "ratio": round(ratio, 2),
        "ratio_to_without_js": round(ratio_js, 2),
        "ratio_cpu": round(ratio_cpu, 2),
        "target_ratio": TARGET_RATIO,
        "ok": ratio < TARGET_RATIO,
        "share_of_hello_page": round(share, 2),
        "target_share_of_hello_page": TARGET_SHARE_OF_HELLO_PAGE,
        "stakeholders": measure_stakeholders(runs=runs, username=username),
    }


def measure_stakeholders(*, runs: int, username: str = "manager") -> dict:
    """The same for the stakeholder list (discovery, edited in place since issue #19): the
    full list page, the in-place save of one stakeholder (answered with its row), and
    that save without JavaScript — on the manager's account with the most stakeholders."""
    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse

    from accounts.models import KeyAccount, User
    from discovery.models import Stakeholder

    user = User.objects.get(username=username)
    account = (
        KeyAccount.objects.filter(memberships__user=user, memberships__role="manager")
        .annotate(n=Count("stakeholders", filter=Q(stakeholders__archived_at__isnull=True)))
        .order_by("-n", "pk")
        .first()
    )
    person = account.stakeholders.filter(archived_at__isnull=True).order_by("name", "pk").first()
    saved_name = person.name
    client = Client()
    client.force_login(user)
    page_url = reverse("discovery:stakeholders", args=[account.pk])
    edit_url = reverse("discovery:stakeholder_edit", args=[account.pk, person.pk])

    moved = [False]

    def data():
        moved[0] = not moved[0]
        return {
            "name": saved_name + (" (moved)" if moved[0] else ""),
            "title": person.title,
            "department": person.department,
            "email": person.email,
            "buying_role": person.buying_role,
            "influence": person.influence,
            "attitude": person.attitude,
            "owner": person.owner_id or "",
            "last_contact_on": person.last_contact_on.isoformat() if person.last_contact_on else "",
            "reports_to": person.reports_to_id or "",
            "notes": person.notes,
            "revision": person.revision,
        }

    def full_page():
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code
        return response

    # "Edit" and the save in place aim at the stakeholder's row (its own block since issue #22;
    # the list block before it).
    row = f"stakeholder-{person.pk}"
    headers = {"HX-Request": "true", "HX-Target": row}

    def in_place():
        response = client.post(
            edit_url, urlencode(data()), content_type=FORM_ENCODED, headers=headers
        )
        assert response.status_code == 200, response.content[:300]
        assert f'<tbody id="{row}"'.encode() in response.content
        assert b'<section id="stakeholder-list"' not in response.content
        return response

    def without_js():
        response = client.post(edit_url, urlencode(data()), content_type=FORM_ENCODED, follow=True)
        assert response.status_code == 200, response.status_code
        return response

    def open_form():  # "Edit" clicked: the stakeholder's row with the form open
        response = client.get(edit_url, headers=headers)
        assert f'<tbody id="{row}"'.encode() in response.content
        assert b"plan-editor" in response.content
        return response

    measured = {
        "full_page": full_page,
        "in_place": in_place,
        "without_js": without_js,
        "open_form": open_form,
    }

    def saved():  # untimed, after each save: the next one sends the revision it saved
        person.refresh_from_db(fields=["revision"])

    results = timed_interleaved(measured, runs, after={"in_place": saved, "without_js": saved})
    Stakeholder.objects.filter(pk=person.pk).update(name=saved_name)
    ratio = results["in_place"]["median_ms"] / results["full_page"]["median_ms"]
    return {
        "account": account.name,
        "stakeholders": account.n,
        "results": results,
        "ratio": round(ratio, 2),
        "ratio_to_without_js": round(
            results["in_place"]["median_ms"] / results["without_js"]["median_ms"], 2
        ),
        "ratio_cpu": round(
            results["in_place"]["cpu_median_ms"] / results["full_page"]["cpu_median_ms"], 2
        ),
    }


def timed_interleaved(measured: dict, runs: int, after: dict | None = None) -> dict:
    """Each of `measured` run `runs` times, interleaved; `after[key]`, if given, runs after each
    call of `measured[key]`, untimed (to put back what a committed save changed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    after = after or {}

    def untimed(key):
        if key in after:
            after[key]()

    for key, fn in measured.items():  # warm: templates, connection, caches
        for _ in range(2):
            fn()
            untimed(key)
    # Interleaved, in a rotating order, so that a busy machine slows each kind alike.
    # Wall time, and this process's CPU time (the steadier number on a shared machine: it leaves
    # out the waits for a busy CPU and the database's own work, so it is reported beside it).
    times: dict[str, list[float]] = {key: [] for key in measured}
    cpu: dict[str, list[float]] = {key: [] for key in measured}
    keys = list(measured)
    for run in range(runs):
        for key in keys[run % len(keys) :] + keys[: run % len(keys)]:
            started, started_cpu = time.perf_counter(), time.process_time()
            measured[key]()
            times[key].append((time.perf_counter() - started) * 1000)
            cpu[key].append((time.process_time() - started_cpu) * 1000)
            untimed(key)
    results = {}
    for key, fn in measured.items():
        with CaptureQueriesContext(connection) as queries:
            response = fn()
        untimed(key)
        ordered = sorted(times[key])
        results[key] = {
            "median_ms": round(statistics.median(ordered), 1),
            "cpu_median_ms": round(statistics.median(cpu[key]), 1),
            "p95_ms": round(ordered[max(0, -(-len(ordered) * 95 // 100) - 1)], 1),
            "queries": len(queries),
            "kib": round(len(response.content) / 1024, 1),
        }
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--user", default="manager")
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    import logging

    import django

    django.setup()
    from kam.wsgi import settle_start_up

    settle_start_up()  # as a gunicorn worker starts (kam/wsgi.py)
    logging.getLogger("axes").setLevel(logging.WARNING)
    report = measure(runs=args.runs, username=args.user)
    for key, row in report["results"].items():
        print(
            f"{key}: median {row['median_ms']} ms (CPU {row['cpu_median_ms']} ms), "
            f"p95 {row['p95_ms']} ms, "
            f"{row['queries']} queries, {row['kib']} KiB"
        )
    print(
        f"in place / full page = {report['ratio']} (target < {report['target_ratio']}); "
        f"CPU time: {report['ratio_cpu']}"
    )
    people = report["stakeholders"]
    for key, row in people["results"].items():
        print(
            f"stakeholders {key}: median {row['median_ms']} ms (CPU {row['cpu_median_ms']} ms), "
            f"p95 {row['p95_ms']} ms, {row['queries']} queries, {row['kib']} KiB"
        )
    print(
        f"stakeholders: in place / full page = {people['ratio']}; CPU time: {people['ratio_cpu']}"
    )
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()


def report_lines(data: dict | None) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The RESULTS.md section on the in-place edit and its target (bench/report.py)."""
    lines = ["## 8. In-place edit round trip (issue #19)\n"]
    if not data:
        return lines + ["Not measured in this run.\n"], []
    lines.append(
        f"`bench/inplace_bench.py`: Django's test client in one warm process, the demo manager "
        f"on {data['account']} ({data['actions']} actions), {data['runs']} interleaved runs of "
        "each: the full plan page (GET, drawn as after an edit: its cache bypassed); the "
        "in-place save of one action (htmx POST, answered "
        "with the action's row and what of the plan it changed); the same save without "
        "JavaScript (POST, redirect, whole page). Saves are rolled back.\n"
    )
    lines += [
        "| request | median ms | CPU median ms | p95 ms | queries | KiB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    names = {
        "full_page": "full plan page (GET, drawn: cache bypassed)",
        "in_place": "in-place save + fragment (htmx POST)",
        "without_js": "save without JavaScript (POST + redirect + page)",
        "hello_page": "our empty page, `hello_page` (GET; issue #22's yardstick)",
    }
    for key, row in data["results"].items():
        lines.append(
            f"| {names[key]} | {row['median_ms']} | {row.get('cpu_median_ms', '—')} | "
            f"{row['p95_ms']} | {row['queries']} | {row['kib']} |"
        )
    lines.append(
        f"\nIn place / full page: {data['ratio']} (target < {data['target_ratio']}); in place / "
        f"the save it replaces (without JavaScript): {data['ratio_to_without_js']}; in CPU time "
        f"of the server process: {data.get('ratio_cpu', '—')}.\n"
    )
    people = data.get("stakeholders")
    if people:
        lines.append(
            f"The stakeholder list (discovery, edited in place the same way) on "
            f"{people['account']} ({people['stakeholders']} active stakeholders): the full list "
            "page against the in-place save of one stakeholder (answered with its row):\n"
        )
        lines += [
            "| request | median ms | CPU median ms | p95 ms | queries | KiB |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        names_people = {
            "full_page": "stakeholder list page (GET)",
            "in_place": "in-place save + the stakeholder's row (htmx POST)",
            "without_js": "save without JavaScript (POST + redirect + page)",
            "open_form": "“Edit” in place: the stakeholder's row with the form (htmx GET)",
        }
        for key, row in people["results"].items():
            lines.append(
                f"| {names_people[key]} | {row['median_ms']} | {row['cpu_median_ms']} | "
                f"{row['p95_ms']} | {row['queries']} | {row['kib']} |"
            )
        lines.append(
            f"\nIn place / full page: {people['ratio']}; in place / without JavaScript: "
            f"{people['ratio_to_without_js']}; in CPU time: {people['ratio_cpu']}.\n"
        )
    mark = "PASS" if data["ok"] else "**MISS**"
    target = (
        f"In-place edit round trip < {data['target_ratio']} × the full plan page",
        f"{data['ratio']} × ({data['results']['in_place']['median_ms']} ms against "
        f"{data['results']['full_page']['median_ms']} ms)",
        mark,
    )
    targets = [target]
    if "share_of_hello_page" in data:
        share, wanted = data["share_of_hello_page"], data["target_share_of_hello_page"]
        targets.append(
            (
                f"In-place edit round trip ≥ {wanted:.0%} of `hello_page`'s capacity (issue #22)",
                f"{share:.0%} ({data['results']['hello_page']['median_ms']} ms against "
                f"{data['results']['in_place']['median_ms']} ms, same process)",
                "PASS" if share >= wanted else "**MISS**",
            )
        )
    return lines, targets
