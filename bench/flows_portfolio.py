"""The portfolio journeys of the flow benchmark, counted in a real browser (issue 19).

- director: find which accounts are off track and why, and everything waiting for their
  decision (goal: at most 6 interactions, on one page);
- executive: the programme's profit against its target, profit concentration and plan health
  (goal: at most 6).

Each journey takes a `bench.flow.Steps`, starts from the login page (4 interactions) and ends
by asserting that the facts it came for are visible, so a journey that "finishes" without
them fails instead of reporting a low count. `director_journey_before` is the route the same
director had to take before the decision inbox and the health table's "why" existed (home,
notifications, dashboard, then each off-track account's plan), kept to measure that route.

    python -m bench.flows_portfolio --base-url http://127.0.0.1:8000   # a server with seed_demo
"""

from __future__ import annotations

import argparse
import re
import sys

from .flow import CHROMIUM_ARGS, Steps

DEMO_PASSWORD = "demo"  # noqa: S105 - seed_demo's users, on a local benchmark server only
DIRECTOR_GOAL = 6
EXECUTIVE_GOAL = 6


def _visible(locator, what: str) -> None:
    assert locator.count() > 0, f"not on the page: {what}"
    assert locator.first.is_visible(), f"not visible: {what}"


def director_journey(steps: Steps, *, username: str = "director", password: str = DEMO_PASSWORD):
    """Log in; the director's home names every decision waiting for them (each linking to where
    it is made) and every off-track account with its off-track targets and overdue actions."""
    steps.login(username, password)
    page = steps.page
    page.get_by_role("heading", name="My portfolio").wait_for()
    decisions = page.locator("#decisions")
    _visible(
        decisions.get_by_role("heading", name=re.compile(r"Waiting for your decision")), "inbox"
    )
    # A plan to approve links to the plan's approval step.
    _visible(decisions.locator('a[href$="/plan/#workflow"]'), "a plan to approve")
    off_track = page.locator("#off-track")
    _visible(off_track.get_by_role("heading", name=re.compile(r"Off track and why")), "off track")
    accounts = off_track.locator("h3")
    assert accounts.count() > 0, "no off-track account named"
    for i in range(accounts.count()):
        # Each account is followed by its reasons: off-track targets or overdue actions, named.
        reasons = accounts.nth(i).locator("xpath=following-sibling::div[1]//li")
        _visible(reasons, f"why {accounts.nth(i).inner_text()} is off track")
    return steps


def director_journey_before(
    steps: Steps, *, username: str = "director", password: str = DEMO_PASSWORD
):
    """The route before the inbox: plans waiting on the home page, escalations and proposals in
    the notifications, off-track counts on the dashboard, and the names behind each count only
    on the account's plan page (one click there and one back to the dashboard per account)."""
    steps.login(username, password)
    page = steps.page
    steps.click(page.get_by_role("link", name=re.compile(r"^Notifications")), "Notifications")
    page.get_by_role("heading", name="Notifications").wait_for()
    # The menu's "Dashboard" is the portfolio dashboard for a director.
    steps.click(page.get_by_role("link", name="Dashboard", exact=True), "Dashboard (menu)")
    page.get_by_role("heading", name="Plan health", exact=True).wait_for()
    rows = page.locator("#health tbody tr")
    off_track_rows = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        overdue, off = cells.nth(8).inner_text().strip(), cells.nth(11).inner_text().strip()
        if overdue not in ("", "0") or off not in ("", "0"):
            off_track_rows.append(i)
    for i in off_track_rows:
        steps.click(rows.nth(i).locator("td").nth(5).locator("a"), f"plan of row {i}")
        page.get_by_role("heading", name=re.compile(r"^Plan health: ")).wait_for()
        steps.click(page.get_by_role("link", name="Dashboard", exact=True), "back: Dashboard")
        page.get_by_role("heading", name="Plan health", exact=True).wait_for()
    return steps


def executive_journey(steps: Steps, *, username: str = "executive", password: str = DEMO_PASSWORD):
    """Log in, open the portfolio dashboard: programme net profit against its target, profit
    concentration and the plan health buckets, on one page."""
    steps.login(username, password)
    page = steps.page
    steps.click(page.get_by_role("link", name="Portfolio dashboard"), "Portfolio dashboard")
    _visible(
        page.get_by_text(re.compile(r"Programme net profit \d{4}: .* against a target")),
        "profit vs target",
    )
    _visible(
        page.get_by_role("heading", name=re.compile(r"^Profit concentration")), "concentration"
    )
    _visible(
        page.get_by_text(re.compile(r"^Share of the total net profit")), "concentration shares"
    )
    for bucket in ("Healthy", "Needs attention", "Unhealthy"):
        _visible(page.get_by_role("link", name=bucket, exact=True), f"health: {bucket}")
    return steps


JOURNEYS = {
    "director": (director_journey, DIRECTOR_GOAL),
    "executive": (executive_journey, EXECUTIVE_GOAL),
    "director (route before the inbox)": (director_journey_before, None),
}


def run(base_url: str, names=None, executable: str = "/usr/bin/chromium") -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for name, (journey, goal) in JOURNEYS.items():
                if names and name.split()[0] not in names and name not in names:
                    continue
                context = browser.new_context(base_url=base_url)
                page = context.new_page()
                page.set_default_timeout(10_000)
                steps = Steps(page)
                error = ""
                try:
                    journey(steps)
                except AssertionError as failure:
                    error = str(failure) or "facts not visible"
                except Exception as failure:  # a missing link or heading: the route is broken
                    error = f"{type(failure).__name__}: {str(failure).splitlines()[0]}"
                context.close()
                results.append(
                    {
                        "journey": name,
                        "count": steps.count,
                        "goal": goal,
                        "error": error,
                        "log": steps.log,
                    }
                )
        finally:
            browser.close()
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--journey", action="append", help="director, executive (default: all)")
    parser.add_argument("--verbose", action="store_true", help="print each interaction")
    args = parser.parse_args(argv)
    results = run(args.base_url.rstrip("/"), args.journey)
    failed = False
    print("| journey | interactions | goal | result |")
    print("|---|---:|---:|---|")
    for row in results:
        goal = row["goal"]
        ok = not row["error"] and (goal is None or row["count"] <= goal)
        failed |= goal is not None and not ok
        verdict = row["error"] or ("PASS" if goal is not None and ok else "measured")
        if not row["error"] and goal is not None and not ok:
            verdict = "MISS"
        print(f"| {row['journey']} | {row['count']} | {goal if goal else '—'} | {verdict} |")
        if args.verbose:
            for entry in row["log"]:
                print(f"    {entry}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
