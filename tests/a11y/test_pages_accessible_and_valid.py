"""Every page each demo role reaches is accessible (axe-core: no serious or critical WCAG A/AA
violation; tests/html_checks.py's basics) and valid HTML (the Nu HTML Checker: no error).

The pages are found as a person finds them: seed_demo, then, for each demo role, every link from
home followed breadth first (GET only; tests/a11y/crawl.py), including the plan's in-place editor
variants (`?section=`, `?edit=`, `?add=`). The validator reads one page of each type per role,
all in one Java process; axe, which needs the browser and costs a second or two a page, runs
once on each page type (a URL pattern and its editor variant) for the first role that reaches
it, the roles that see the most buttons first, and on an editor variant only over its form.
The same page laid out at 390 px is measured (nothing wider than the phone) and looked at by
the axe rules whose answer changes there (PHONE_RULES: a box that scrolls sideways only on a
phone must take the keyboard's focus).
"""

import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import require_service
from tests.html_checks import page_problems

from .checkers import AXE, JAVA, VNU, axe_findings, serve_axe, vnu_errors
from .crawl import crawl, open_demo_workspace, page_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR_FORM = "form.plan-editor"
# Plan editors and deciders first: their pages hold the most forms and buttons. Last, a
# customer stakeholder holding a workspace link (no login).
ROLES = ("manager", "director", "progadmin", "coordinator", "executive", "teammember")
CUSTOMER = "customer"
DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
# The axe rules whose answer changes when the page is laid out for a phone.
PHONE_RULES = ["scrollable-region-focusable"]
# Sections that show only with data the demo plants for them (tests/kam/test_seed_demo.py):
# the crawl must read a page holding each, or it checks them nowhere.
DEMO_SECTIONS = {
    'id="former-members"': "the team page's former members",
    'class="measure-again"': "a plan target's 'measure again'",
    "/progress/?measure=": "My work's targets to measure again",
}


def _visitors(users):
    for role in ROLES:
        client = Client()
        client.force_login(users.get(username=role))
        yield role, client, "/"
    client = Client()
    yield CUSTOMER, client, open_demo_workspace(client)


def _serve_as_crawled(context, origin: str, pages: dict[str, str]) -> None:
    """The browser gets each page as the crawl read it (the HTML the validator reads too)
    instead of the live server drawing it a second time; what a page loads after it (styles,
    scripts, in-place fragments) still comes from the server."""
    start = len(origin)
    context.route(
        lambda url: url[start:] in pages,
        lambda route: route.fulfill(
            body=pages[route.request.url[start:]], content_type="text/html; charset=utf-8"
        ),
    )


def _checkers_installed():
    require_service(
        AXE.exists() and VNU.exists(),
        "node_modules/ has no axe-core or vnu-jar: run `make install` (npm ci)",
    )
    require_service(JAVA is not None, "no java for the Nu HTML Checker (default-jre-headless)")


def test_every_page_each_demo_role_reaches_is_accessible_and_valid(
    browser, live_server, tmp_path, committed_demo
):
    _checkers_installed()
    users = get_user_model().objects
    saved = {}  # file name -> (role, url)
    axe_done = set()
    findings = []
    basics = []
    wide = []
    sections = set()
    for role, client, start in _visitors(users):
        visit = crawl(client, start=start, per_type=1)
        sections |= {
            mark for mark in DEMO_SECTIONS for html in visit.pages.values() if mark in html
        }
        assert not visit.errors, f"{role}: links to pages that fail: {visit.errors}"
        least = 1 if role == CUSTOMER else 10
        assert len(visit.pages) >= least, f"{role} reaches only {list(visit.pages)}"
        for number, (url, html) in enumerate(visit.pages.items()):
            name = f"{role}-{number:03d}.html"
            (tmp_path / name).write_text(html, encoding="utf-8")
            saved[name] = (role, url)
            basics += [f"{role} {url}: {problem}" for problem in page_problems(html)]

        context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=DESKTOP)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        serve_axe(context)
        _serve_as_crawled(context, live_server.url, visit.pages)
        page = context.new_page()
        for url in visit.pages:
            kind = page_type(url, editors_only=True)
            if url == start:
                # Each role's home is its own page at the same address (the coordinator's
                # was 502 px wide on a phone while the first role's home passed for all).
                kind = (role, kind)
            if kind in axe_done:
                continue
            axe_done.add(kind)
            page.goto(url)
            # An editor variant is its page plus one in-place form; the page itself was
            # checked already, so axe looks at the form only (a plan page costs seconds).
            within = EDITOR_FORM if "?" in kind else None
            findings += [f"{role} {url}: {line}" for line in axe_findings(page, within=within)]
            # Reflow (WCAG 1.4.10): on a phone the page scrolls only up and down; a wide table
            # scrolls inside its own box. The same page laid out again, not loaded again.
            page.set_viewport_size(PHONE)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide.append(f"{role} {url}: {width} px wide at {PHONE['width']} px")
            # A box that scrolls sideways only on a phone must take the keyboard's focus
            # (a named region with tabindex): one axe rule, not a second full run.
            findings += [
                f"{role} {url} at {PHONE['width']} px: {line}"
                for line in axe_findings(page, within=within, rules=PHONE_RULES)
            ]
            page.set_viewport_size(DESKTOP)
        context.close()

    errors = [
        f"{saved[name][0]} {saved[name][1]}: {line}"
        for name, lines in vnu_errors(sorted(tmp_path.glob("*.html"))).items()
        for line in lines
    ]
    if os.environ.get("KAM_A11Y_REPORT"):
        print(f"{len(saved)} pages validated, {len(axe_done)} page types checked with axe")
    unread = [name for mark, name in DEMO_SECTIONS.items() if mark not in sections]
    assert not unread, f"no crawled page shows {unread}"
    assert not basics, "tests/html_checks.py:\n" + "\n".join(basics)
    assert not findings, "axe (serious/critical):\n" + "\n".join(findings)
    assert not wide, "wider than a phone (scrolls sideways):\n" + "\n".join(wide)
    assert not errors, "Nu HTML Checker:\n" + "\n".join(errors)
