"""PDF rendering in a warm process: median and p95 render time of the demo plans' PDFs, and the
process's memory.

The plan PDF (`/accounts/<id>/plan.pdf`, built in the planning app) is fetched through Django's
test client, as each account's director, for every hand-written demo plan. The timed figures
(issue #22's target) are of PDFs drawn every time (`PLAN_PDF_KEEP_SECONDS` off); a second pass
with keeping on times a repeat request for an unchanged plan, served from the digest of its HTML
(`common.pdf.kept_pdf_key`), as shown beside them; a third pass times the first request after a
change, once the worker has drawn the changed plan ahead (`planning.printing`; here in-process,
untimed, as the worker would after `PLAN_PDF_PREDRAW_SECONDS`). Each change adds a mark to the
plan's strengths, which are put back at the end.

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

PDF_PATH = "/accounts/{account_id}/plan.pdf"


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

        renderers.append((url, render, plan.pk))
    return renderers


def _timed(renderers: list, rounds: int, before=None) -> tuple[list[float], list[float]]:
    """Wall times (sorted) and this process's CPU times, in ms, of `rounds` renders of each;
    `before(plan_id)`, if given, runs untimed before each render."""
    times, cpu_times = [], []
    for _ in range(rounds):
        for _, render, plan_id in renderers:
            if before is not None:
                before(plan_id)
            started, cpu_started = time.perf_counter(), time.process_time()
            render()
            times.append((time.perf_counter() - started) * 1000)
            # This process's CPU: steadier than wall time on a shared machine.
            cpu_times.append((time.process_time() - cpu_started) * 1000)
    times.sort()
    return times, cpu_times


def _changed_and_drawn_ahead(plan_ids: list[int]):
    """before(plan_id) for _timed: change what the plan prints (a mark on its strengths, a
    different one each time), then draw it ahead as the worker does after a change. The
    strengths are put back when the process exits."""
    import atexit
    import itertools

    from planning.models import AccountPlan
    from planning.printing import plan_pdf_draw_ahead

    saved = dict(AccountPlan.objects.filter(pk__in=plan_ids).values_list("pk", "strengths"))
    marks = itertools.count(1)

    def put_back():
        for pk, strengths in saved.items():
            AccountPlan.objects.filter(pk=pk).update(strengths=strengths)

    atexit.register(put_back)

    def before(plan_id: int) -> None:
        strengths = f"{saved[plan_id]} (bench mark {next(marks)})".strip()
        AccountPlan.objects.filter(pk=plan_id).update(strengths=strengths)
        if not plan_pdf_draw_ahead(plan_id=plan_id):
            raise RuntimeError(f"plan {plan_id}: nothing drawn ahead")

    return before


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="renders of each plan, after one")
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings

    keep_seconds = settings.PLAN_PDF_KEEP_SECONDS
    settings.PLAN_PDF_KEEP_SECONDS = 0  # the target is judged on the drawing
    from kam.wsgi import settle_start_up

    settle_start_up()  # as a gunicorn worker starts (kam/wsgi.py)

    problems = _Problems()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.setLevel(logging.WARNING)  # its INFO lines are one per layout step
    weasyprint_log.propagate = False
    weasyprint_log.addHandler(problems)

    renderers = _real_renderers()
    kind = "plan PDF"
    note = f"{len(renderers)} demo plans via {PDF_PATH}, as each account's director"
    if not renderers:
        raise SystemExit("no demo plans to render: run seed_demo first")

    rss_before = _rss_mib()
    pages_bytes = 0
    for _, render, _plan_id in renderers:  # warm: fonts, templates, WeasyPrint's caches
        pages_bytes = max(pages_bytes, len(render()))
    times, cpu_times = _timed(renderers, args.rounds)
    rss_peak = _rss_mib()
    # A repeat request for an unchanged plan: kept after its first drawing (one warm-up each).
    settings.PLAN_PDF_KEEP_SECONDS = keep_seconds or 3600
    for _, render, _plan_id in renderers:
        render()
    kept_times, kept_cpu = _timed(renderers, args.rounds)
    # The first request after a change, the changed plan drawn ahead by the worker.
    ahead_times, ahead_cpu = _timed(
        renderers, args.rounds, before=_changed_and_drawn_ahead([pk for *_, pk in renderers])
    )
    settings.PLAN_PDF_KEEP_SECONDS = 0

    # Python-level allocations of one render (C libraries such as pango are not seen here).
    tracemalloc.start()
    renderers[0][1]()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    result = {
        "kind": kind,
        "note": note,
        "renders": len(times),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, -(-len(times) * 95 // 100) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "cpu_median_ms": round(statistics.median(cpu_times), 1),
        "kept_median_ms": round(statistics.median(kept_times), 1),
        "kept_cpu_median_ms": round(statistics.median(kept_cpu), 1),
        "ahead_median_ms": round(statistics.median(ahead_times), 1),
        "ahead_cpu_median_ms": round(statistics.median(ahead_cpu), 1),
        "largest_pdf_kib": round(pages_bytes / 1024, 1),
        "rss_before_mib": round(rss_before, 1),
        "rss_peak_mib": round(rss_peak, 1),
        "tracemalloc_peak_mib": round(traced_peak / 1024 / 1024, 1),
        "weasyprint_warnings": problems.messages,
    }
    print(
        f"{kind}: {result['renders']} renders, median {result['median_ms']} ms, "
        f"p95 {result['p95_ms']} ms (CPU median {result['cpu_median_ms']} ms); "
        f"peak RSS {result['rss_peak_mib']} MiB; a repeat request, kept: median "
        f"{result['kept_median_ms']} ms (CPU {result['kept_cpu_median_ms']} ms); after a "
        f"change, drawn ahead: median {result['ahead_median_ms']} ms "
        f"(CPU {result['ahead_cpu_median_ms']} ms)"
    )
    for message, count in problems.messages.items():
        print(f"  WeasyPrint warned {count}x: {message}")
    if args.out:
        with open(args.out, "w") as out:
            json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
