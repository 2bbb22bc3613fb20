"""PDF rendering in a warm process: median and p95 render time of the demo plans' PDFs, and the
process's memory.

The plan PDF (`/accounts/<id>/plan.pdf`, built in the planning app) is fetched through Django's
test client, as each account's director, when that URL resolves. Until then this prints
"Plan PDF: not available yet" and measures a clearly labelled STAND-IN instead: a two-page A4
template (bench/templates/bench/plan_stand_in.html) of similar density rendered with the
product's `kam.pdf.render_pdf` from the demo accounts' real data. Stand-in numbers indicate what
WeasyPrint costs on this machine; they are not the plan PDF's.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://... \\
        python -m bench.pdf_bench --rounds 5 --out pdf.json
"""

import argparse
import json
import logging
import resource
import statistics
import time
import tracemalloc
from datetime import timedelta

PDF_PATH = "/accounts/{account_id}/plan.pdf"
STAND_IN_TEMPLATE = "bench/plan_stand_in.html"


class _Problems(logging.Handler):
    """Collects WeasyPrint's warnings (e.g. a stylesheet it could not fetch) for the report."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: dict[str, int] = {}

    def emit(self, record):
        message = record.getMessage()
        self.messages[message] = self.messages.get(message, 0) + 1


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _real_renderers() -> list:
    """One callable per demo plan: GET its PDF as the account's director; checks the result."""
    from django.test import Client

    from accounts.models import Membership, Role
    from planning.models import AccountPlan

    renderers = []
    plans = (
        AccountPlan.objects.filter(
            is_current=True, key_account__customer__reference__startswith="C-"
        )
        .select_related("key_account")
        .order_by("key_account__customer__reference")
    )
    for plan in plans:
        director = (
            Membership.objects.filter(key_account=plan.key_account, role=Role.DIRECTOR)
            .select_related("user")
            .first()
        )
        if director is None:
            continue
        client = Client()
        client.force_login(director.user)
        url = PDF_PATH.format(account_id=plan.key_account_id)

        def render(client=client, url=url) -> bytes:
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            if response.status_code != 200 or not body.startswith(b"%PDF"):
                raise RuntimeError(f"{url}: HTTP {response.status_code}, not a PDF")
            return body

        renderers.append((url, render))
    return renderers


def _stand_in_renderers() -> list:
    """The 12 hand-written demo accounts through the stand-in template (see module docstring)."""
    from accounts.models import KeyAccount, Programme
    from accounts.selectors import account_team
    from kam.pdf import render_pdf

    currency = Programme.current().currency
    renderers = []
    accounts = (
        KeyAccount.objects.filter(customer__reference__startswith="C-")
        .select_related("customer")
        .order_by("customer__reference")
    )
    for account in accounts:
        today = account.selected_on
        rows = [
            {
                "text": f"{account.name}: {verb} with the {area} team ({i + 1})",
                "value": (i + 1) * 12500,
                "due": today + timedelta(days=14 * i),
                "status": ("On track", "At risk", "Done", "Open")[i % 4],
            }
            for i, (verb, area) in enumerate(
                [("Agree joint forecast", "supply chain"), ("Review pricing", "finance")] * 20
            )
        ]
        context = {
            "account": account,
            "team": list(account_team(account=account)),
            "events": list(account.events.all()[:10]),
            "rows": rows,
            "grid": [f"Quarter {q} · {who}" for q in range(1, 5) for who in "ABCD"],
            "currency": currency,
        }

        def render(context=context) -> bytes:
            return render_pdf(STAND_IN_TEMPLATE, context)

        renderers.append((f"stand-in: {account.name}", render))
    return renderers


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="renders of each plan, after one")
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.urls import Resolver404, resolve

    problems = _Problems()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.setLevel(logging.WARNING)  # its INFO lines are one per layout step
    weasyprint_log.propagate = False
    weasyprint_log.addHandler(problems)

    try:
        resolve(PDF_PATH.format(account_id=1))
        available = True
    except Resolver404:
        available = False
    if available:
        renderers = _real_renderers()
        kind = "plan PDF"
        note = f"{len(renderers)} demo plans via {PDF_PATH}, as each account's director"
    else:
        print(f"Plan PDF: not available yet ({PDF_PATH} does not resolve on this branch).")
        renderers = _stand_in_renderers()
        kind = "STAND-IN"
        note = (
            f"STAND-IN, not the plan PDF: {STAND_IN_TEMPLATE} (two A4 pages, two 20-row tables, "
            f"4x4 grid) for {len(renderers)} demo accounts through kam.pdf.render_pdf"
        )
    if not renderers:
        raise SystemExit("no demo plans to render: run seed_demo first")

    rss_before = _rss_mib()
    pages_bytes = 0
    for _, render in renderers:  # warm: fonts, templates, WeasyPrint's caches
        pages_bytes = max(pages_bytes, len(render()))
    times = []
    for _ in range(args.rounds):
        for _, render in renderers:
            started = time.perf_counter()
            render()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    rss_peak = _rss_mib()

    # Python-level allocations of one render (C libraries such as pango are not seen here).
    tracemalloc.start()
    renderers[0][1]()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    result = {
        "kind": kind,
        "available": available,
        "note": note,
        "renders": len(times),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, -(-len(times) * 95 // 100) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "largest_pdf_kib": round(pages_bytes / 1024, 1),
        "rss_before_mib": round(rss_before, 1),
        "rss_peak_mib": round(rss_peak, 1),
        "tracemalloc_peak_mib": round(traced_peak / 1024 / 1024, 1),
        "weasyprint_warnings": problems.messages,
    }
    print(
        f"{kind}: {result['renders']} renders, median {result['median_ms']} ms, "
        f"p95 {result['p95_ms']} ms; peak RSS {result['rss_peak_mib']} MiB"
    )
    for message, count in problems.messages.items():
        print(f"  WeasyPrint warned {count}x: {message}")
    if args.out:
        with open(args.out, "w") as out:
            json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
