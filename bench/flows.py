"""User journeys, counted in a real browser (issue #19): the manager's and the coordinator's.

Each journey starts at the login page (login = 4 interactions: the URL, two typed fields, the
button) and drives Playwright only through `bench.flow.Steps`, so every click, typed field,
select, key press or typed URL counts one. A journey types only what the page does not already
hold (a field with a default is left alone), as a new user who reads the form would.

    python -m bench.flows --base-url http://127.0.0.1:8105 [--style quick|classic] [--out F]

`--style quick` (the default) takes the shortest way the app offers: the plan's quick start.
`--style classic` writes the plan section by section on the plan page, with a detour through
the Stakeholders tab for the engagement activity's stakeholder: the only way before the quick
start and the in-place stakeholder, so it measures the "before" figures on older code too.

The server must run on a database seeded with `seed_demo`; the manager journey needs a new key
account of the demo manager's without a plan, which `prepare_new_account` selects (through
strategy's own service) in the same database before the journey. The browser test
tests/browser/test_manager_journey.py runs `manager_journey` against pytest's live server.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from datetime import timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a file (`python bench/flows.py`) from another checkout
    sys.path.insert(0, str(Path.cwd()))

from bench.flow import CHROMIUM_ARGS, Steps  # noqa: E402
from bench.flows_portfolio import JOURNEYS as PORTFOLIO_JOURNEYS  # noqa: E402

GOALS = {"manager": 15, "coordinator": 8, "director": 6, "executive": 6}
# Counted on the code before issue #19 (main at ef672c7, `--style classic`, the only way then;
# the director's route then: notifications, dashboard, each off-track account's plan and back,
# `bench.flows_portfolio.director_journey_before`); the issue's own count was 44 + 2, 10, 10, 6.
BEFORE = {"manager": 48, "coordinator": 10, "director": 18, "executive": 5}
BEFORE_COMMIT = "ef672c7"
JOURNEYS = {
    "manager": "new key account's plan with value proposition, an objective with a measurable "
    "target, two actions with owners and dates, one engagement activity, submitted, PDF opened",
    "coordinator": "meeting with two attendees (one a customer stakeholder) and agenda, "
    "invitation downloaded",
    "director": "find which accounts are off track and why, and everything waiting for their "
    "decision (one page)",
    "executive": "profit vs target, concentration, health",
}
CHROMIUM = "/usr/bin/chromium"
PAGE_TIMEOUT_MS = 30_000
PDF_TIMEOUT_MS = 90_000


# ---- set-up (not counted) ----------------------------------------------------------------


def prepare_new_account(*, manager: str = "manager", director: str = "director") -> str:
    """A new key account for the demo manager, without a plan or stakeholders; its name."""
    from django.contrib.auth import get_user_model

    from accounts.models import Classification
    from strategy.services import customer_save, key_account_select

    users = get_user_model().objects
    manager_user, director_user = users.get(username=manager), users.get(username=director)
    stamp = time.strftime("%H%M%S") + f"{time.time_ns() % 1000:03d}"
    customer = customer_save(
        data={"reference": f"F-{stamp}", "name": f"Flow Foods {stamp}", "sector": "Food"},
        acting_user=director_user,
    )
    account = key_account_select(
        customer=customer,
        classification=Classification.STRATEGIC,
        rationale="Selected for the flow benchmark: a new key account without a plan.",
        director=director_user,
        manager=manager_user,
        acting_user=director_user,
    )
    return account.name


# ---- helpers ---------------------------------------------------------------------------------


def _label(scope, text: str):
    """The field labelled exactly `text` (a required field's label ends in crispy's "*")."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(text)}\*?\s*$"))


def _empty(locator) -> bool:
    return not (locator.input_value() or "").strip()


def _fill_if_empty(steps: Steps, locator, text: str, what: str) -> None:
    if _empty(locator):
        steps.fill(locator, text, what)


def _date(days: int) -> str:
    from datetime import date

    return (date.today() + timedelta(days=days)).isoformat()


def _open_pdf(steps: Steps, link) -> dict:
    """Click the PDF link; the answer is read from the network (headless chromium downloads a
    PDF instead of showing it)."""
    page = steps.page
    # Rendering the PDF takes seconds on a busy machine (the first one in a process longer):
    # the click waits for it, so it gets more time than a page.
    page.set_default_timeout(PDF_TIMEOUT_MS)
    try:
        with page.expect_response(lambda r: ".pdf" in r.url, timeout=PDF_TIMEOUT_MS) as answer:
            try:
                steps.click(link, "Download PDF")
            except Exception as error:  # a download aborts the navigation the click started
                if "Download is starting" not in str(error) and "ERR_ABORTED" not in str(error):
                    raise
    finally:
        page.set_default_timeout(PAGE_TIMEOUT_MS)
    response = answer.value
    # The body of a response that became a download is not kept: fetch it again to check it
    # (the benchmark's check, not the user's step).
    body = page.request.get(response.url).body()
    return {
        "status": response.status,
        "content_type": response.headers.get("content-type", ""),
        "starts_with_pdf": body[:5] == b"%PDF-",
    }


# ---- the manager -----------------------------------------------------------------------------


def manager_journey(steps: Steps, account_name: str, *, style: str = "quick") -> dict:
    page = steps.page
    steps.login("manager", "demo")
    if style == "quick":
        _manager_quick_start(steps, account_name)
    else:
        _manager_classic(steps, account_name)
    page.get_by_role("heading", name="Plan health", exact=False).first.wait_for()
    status = page.locator("#workflow h2").inner_text()
    pdf = _open_pdf(steps, page.get_by_role("link", name="Download PDF (2 pages)"))
    return {"status": status, "pdf": pdf}


def _manager_quick_start(steps: Steps, account_name: str) -> None:
    page = steps.page
    start = page.get_by_role("link", name=f"No plan yet: start it for {account_name}")
    steps.click(start, "start the plan from home")
    form = page.locator("form.quick-start")
    steps.fill(
        form.get_by_label("Value proposition"),
        "Fewer stock-outs on their own-brand dairy range through shared forecasts.",
        "value proposition",
    )
    steps.fill(
        form.get_by_label("Critical success factors"),
        "Weekly forecast exchange; one contact for all their sites.",
        "critical success factors",
    )
    steps.fill(
        form.get_by_label("First objective"), "Become their main dairy supplier", "objective"
    )
    steps.fill(form.get_by_label("Its measurable target: KPI"), "Share of wallet (%)", "KPI")
    _fill_if_empty(steps, _label(form, "Baseline"), "10", "baseline")
    steps.fill(_label(form, "Target"), "35", "target value")
    steps.fill(_label(form, "Action 1"), "Agree the forecast format", "action 1")
    steps.fill(_label(form, "Action 2"), "Run the first joint review", "action 2")
    for i in (1, 2):  # owners and dates come filled in; a user would only check them
        _fill_if_empty(steps, form.get_by_label(f"Action {i}: due"), _date(14 * i), "due")
    steps.fill(form.get_by_label("New stakeholder: name"), "Ingrid Berg", "stakeholder name")
    steps.click(
        form.get_by_role("button", name="Start and submit for approval"), "start and submit"
    )


def _save(steps: Steps, scope, what: str) -> None:
    steps.click(scope.get_by_role("button", name="Save", exact=True), f"save {what}")
    steps.page.wait_for_load_state()


def _editor(page):
    return page.locator("form.plan-editor")


def _section_link(page, name: str):
    """The section's own "Add …" button, not the contents' short "Add" link of that name."""
    return page.get_by_role("link", name=name, exact=True).and_(
        page.locator("a:not(.plan-contents-add)")
    )


def _manager_classic(steps: Steps, account_name: str) -> None:
    """Section by section on the plan page, as before the quick start."""
    page = steps.page
    steps.click(page.get_by_role("link", name=account_name, exact=True), "account")
    steps.click(page.get_by_role("link", name="Plan", exact=True), "Plan tab")
    steps.click(page.get_by_role("button", name="Start the plan"), "start the plan")
    for link, label, text in (
        ("Edit value proposition", "Value proposition", "Fewer stock-outs on their range."),
        ("Edit critical success factors", "Critical success factors", "Weekly forecasts."),
    ):
        steps.click(page.get_by_role("link", name=link), link)
        steps.fill(_editor(page).get_by_label(label), text, label)
        _save(steps, _editor(page), label)
    steps.click(_section_link(page, "Add objective"), "Add objective")
    steps.fill(_label(_editor(page), "What"), "Become their main dairy supplier", "title")
    _save(steps, _editor(page), "objective")
    steps.click(page.get_by_role("link", name="Add target").first, "Add target")
    editor = _editor(page)
    steps.fill(editor.get_by_label("KPI"), "Share of wallet (%)", "KPI")
    steps.fill(_label(editor, "Baseline"), "10", "baseline")
    _fill_if_empty(steps, editor.get_by_label("Baseline date"), _date(0), "baseline date")
    steps.fill(_label(editor, "Target"), "35", "target")
    steps.fill(editor.get_by_label("Due on"), _date(365), "target due")
    _save(steps, editor, "target")
    for i, title in enumerate(("Agree the forecast format", "Run the first joint review"), 1):
        steps.click(_section_link(page, "Add action"), "Add action")
        editor = _editor(page)
        steps.fill(_label(editor, "What"), title, "action title")
        owner = editor.get_by_label("Owner (ours)")
        if not owner.input_value():
            steps.select(owner, label="Max Keller", what="owner")
        steps.fill(editor.get_by_label("Due on"), _date(14 * i), "due")
        _save(steps, editor, "action")
    # The engagement activity needs a customer stakeholder: the Stakeholders tab and back.
    steps.click(page.get_by_role("link", name="Stakeholders", exact=True).first, "Stakeholders tab")
    steps.click(page.get_by_role("link", name="Add a stakeholder"), "Add a stakeholder")
    steps.fill(page.get_by_label("Name"), "Ingrid Berg", "name")
    steps.select(page.get_by_label("Role in the buying decision"), "decision_maker", what="role")
    steps.click(page.locator("main form button[type=submit]").first, "save stakeholder")
    steps.click(page.get_by_role("link", name="Plan", exact=True), "Plan tab")
    steps.click(_section_link(page, "Add engagement activity"), "Add engagement")
    editor = _editor(page)
    person = editor.get_by_label("Our person")
    if not person.input_value():
        steps.select(person, label="Max Keller", what="our person")
    steps.select(editor.get_by_label("Meets (customer stakeholder)"), label="Ingrid Berg")
    steps.fill(editor.get_by_label("Purpose"), "Account review", "purpose")
    cadence = editor.get_by_label("Cadence")
    if not cadence.input_value():
        steps.select(cadence, "monthly", what="cadence")
    _fill_if_empty(steps, editor.get_by_label("Next due on"), _date(30), "next due")
    _save(steps, editor, "engagement")
    steps.click(page.get_by_role("button", name="Submit for approval"), "Submit")


# ---- the coordinator -------------------------------------------------------------------------


def coordinator_journey(steps: Steps) -> dict:
    page = steps.page
    steps.login("coordinator", "demo")
    schedule = page.get_by_role("link", name="Schedule", exact=False).first
    steps.click(schedule, "Schedule (meetings to arrange)")
    form = page.locator("main form").last
    starts = form.get_by_label("Starts")
    if _empty(starts):
        steps.fill(starts, f"{_date(7)}T10:00", "starts")
    ends = form.get_by_label("Ends")
    if _empty(ends) and ends.evaluate("e => e.required"):  # no default end
        steps.fill(ends, f"{_date(7)}T11:00", "ends")
    steps.fill(form.get_by_label("Agenda"), "1. Forecast accuracy\n2. Next quarter", "agenda")
    steps.click(form.get_by_role("button", name="Schedule meeting"), "Schedule meeting")
    page.get_by_role("link", name="Download invitation (.ics)").wait_for()
    internal = page.locator("dt:text-is('Our people') + dd")
    customer = page.locator("dt:text-is('Customer') + dd").inner_text()
    with page.expect_download() as download:
        steps.click(page.get_by_role("link", name="Download invitation (.ics)"), "invitation")
    path = download.value.path()
    ics = Path(path).read_text() if path else ""
    return {
        "customer": customer,
        "internal": internal.first.inner_text() if internal.count() else "",
        "ics_attendees": ics.count("ATTENDEE"),
        "ics_ok": ics.startswith("BEGIN:VCALENDAR"),
    }


# ---- running ---------------------------------------------------------------------------------


def run(base_url: str, *, style: str = "quick", journeys=("manager", "coordinator")) -> list:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in journeys:
                context = browser.new_context(accept_downloads=True)
                page = context.new_page()
                page.set_default_timeout(PAGE_TIMEOUT_MS)
                steps = Steps(page, base_url=base_url)
                started = time.perf_counter()
                try:
                    if name == "manager":
                        outcome = manager_journey(steps, prepare_new_account(), style=style)
                    elif name == "coordinator":
                        outcome = coordinator_journey(steps)
                    else:  # the portfolio journeys assert what they came for themselves
                        PORTFOLIO_JOURNEYS[name][0](steps)
                        outcome = {"ended_on": page.url.removeprefix(base_url)}
                except Exception:
                    # Where it stopped, for whoever reads the log.
                    print(f"{name}: stopped after {steps.count} at {page.url}", file=sys.stderr)
                    print("\n".join(steps.log), file=sys.stderr)
                    if os.environ.get("FLOWS_DEBUG_DIR"):
                        folder = Path(os.environ["FLOWS_DEBUG_DIR"])
                        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
                        (folder / f"{name}.html").write_text(page.content())
                    raise
                results.append(
                    {
                        "journey": name,
                        "description": JOURNEYS[name],
                        "style": style,
                        "count": steps.count,
                        "before": BEFORE[name],
                        "before_commit": BEFORE_COMMIT,
                        "goal": GOALS[name],
                        "seconds": round(time.perf_counter() - started, 1),
                        "outcome": outcome,
                        "log": steps.log,
                    }
                )
                context.close()
        finally:
            browser.close()
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument(
        "--style",
        choices=["quick", "classic", "both"],
        default="quick",
        help="both: the quick way, then the manager's classic way for comparison",
    )
    parser.add_argument("--journeys", default="manager,coordinator,director,executive")
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + the ORM
    import django

    django.setup()
    journeys = args.journeys.split(",")
    style = "quick" if args.style == "both" else args.style
    results = run(args.base_url, style=style, journeys=journeys)
    if args.style == "both" and "manager" in journeys:
        results += run(args.base_url, style="classic", journeys=["manager"])
    for r in results:
        print(f"{r['journey']} ({r['style']}): {r['count']} interactions (goal ≤ {r['goal']})")
        for line in r["log"]:
            print("   ", line)
        print("   ", json.dumps(r["outcome"]))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def report_lines(results: list | None) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The RESULTS.md section "User journeys" and its targets (bench/report.py)."""
    lines = ["## 7. User journeys (issue #19)\n"]
    if not results:
        return lines + ["Not measured in this run.\n"], []
    lines.append(
        "`bench/flows.py`: Playwright drives Debian's chromium through `bench.flow.Steps`, which "
        "counts each click, typed field, select, key press and typed URL as one interaction; "
        "login = 4. *Before*: the same journey on the code before issue #19 (main at "
        f"{BEFORE_COMMIT}, section by section, the only way then; the issue counted 44 + 2 and "
        "10). *After*: this run, the shortest way the app offers (the plan's quick start; a "
        "meeting scheduled from the engagement item).\n"
    )
    lines += ["| journey | before | after | goal | |", "|---|---:|---:|---:|---|"]
    targets = []
    for r in results:
        if r["style"] != "quick":
            continue
        ok = r["count"] <= r["goal"]
        mark = "PASS" if ok else "**MISS**"
        lines.append(
            f"| {r['journey']}: {r['description']} | {r['before']} | {r['count']} | "
            f"≤ {r['goal']} | {mark} |"
        )
        targets.append(
            (
                f"{r['journey'].capitalize()} journey ≤ {r['goal']} interactions",
                str(r["count"]),
                mark,
            )
        )
    lines.append("")
    for r in results:
        lines.append(f"- {r['journey']} ({r['style']}, {r['count']}): " + "; ".join(r["log"]))
    classic = [r for r in results if r["style"] == "classic"]
    if classic:
        lines.append(
            f"\nThe manager's section-by-section way on today's code (no quick start, in-place "
            f"editing and owner defaults instead): {classic[0]['count']} interactions.\n"
        )
    return lines + [""], targets
